package iso8583

import "sync"

// A Queue holds a Client's store-and-forward messages (reversals and
// advices) in order until the host acknowledges them. The default,
// MemoryQueue, loses them when the process ends; a terminal or acquirer
// that must survive a restart implements Queue over durable storage,
// packing each message with its Spec. A Queue must be safe for concurrent
// use.
type Queue interface {
	// Push appends m.
	Push(m *Message) error
	// Front returns the oldest message, or nil if the queue is empty.
	Front() (*Message, error)
	// ReplaceFront replaces the oldest message, after its first attempt,
	// with its repeat.
	ReplaceFront(m *Message) error
	// PopFront removes the oldest message once the host has answered it.
	PopFront() error
	// Len returns the number of messages.
	Len() int
}

// A MemoryQueue is a Queue in memory. The zero value is an empty queue.
type MemoryQueue struct {
	mu sync.Mutex
	q  []*Message
}

// Push appends m.
func (q *MemoryQueue) Push(m *Message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.q = append(q.q, m)
	return nil
}

// Front returns the oldest message, or nil.
func (q *MemoryQueue) Front() (*Message, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.q) == 0 {
		return nil, nil
	}
	return q.q[0], nil
}

// ReplaceFront replaces the oldest message.
func (q *MemoryQueue) ReplaceFront(m *Message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.q) > 0 {
		q.q[0] = m
	}
	return nil
}

// PopFront removes the oldest message.
func (q *MemoryQueue) PopFront() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.q) > 0 {
		q.q[0] = nil
		q.q = q.q[1:]
	}
	return nil
}

// Len returns the number of messages.
func (q *MemoryQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.q)
}
