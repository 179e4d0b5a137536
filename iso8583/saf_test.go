package iso8583

import "testing"

func TestMemoryQueue(t *testing.T) {
	var q MemoryQueue
	if m, err := q.Front(); m != nil || err != nil || q.Len() != 0 {
		t.Fatal("zero MemoryQueue is not empty")
	}
	a, b := NewMessage(MTIReversalRequest), NewMessage(MTIFinancialAdvice)
	q.Push(a)
	q.Push(b)
	if m, _ := q.Front(); m != a || q.Len() != 2 {
		t.Fatal("Front is not the oldest")
	}
	rep := NewMessage(MTIReversalRequestRepeat)
	q.ReplaceFront(rep)
	if m, _ := q.Front(); m != rep {
		t.Fatal("ReplaceFront")
	}
	q.PopFront()
	if m, _ := q.Front(); m != b || q.Len() != 1 {
		t.Fatal("PopFront")
	}
	q.PopFront()
	q.PopFront() // on empty: no effect
	if q.Len() != 0 {
		t.Fatal("Len after popping everything")
	}
}
