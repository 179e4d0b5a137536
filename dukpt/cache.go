package dukpt

import (
	"math/bits"
	"sync"
)

// keyCache keeps, for a bounded number of devices, the initial key and the
// chain of intermediate keys to the counter derived last. Consecutive
// counters of one device share all but their last steps, so a cached
// derivation usually takes one step.
//
// Locking: mu guards the map and the LRU list; each entry's own mutex
// guards its keys. No goroutine holds both at once. An evicted entry is
// wiped and marked dead under its own mutex, so a goroutine that found it
// before the eviction falls back to a cold derivation.
type keyCache struct {
	mu         sync.Mutex
	max        int
	m          map[[8]byte]*cacheEntry
	head, tail *cacheEntry // head: most recently used
}

type cacheEntry struct {
	mu         sync.Mutex
	id         [8]byte
	prev, next *cacheEntry
	dead       bool // evicted and wiped
	init       bool // keys[0] holds the initial key
	path       uint32
	// keys[0] is the initial key; keys[j] is the key of the counter formed
	// by the j most significant one-bits of path.
	keys [aesCounterBits + 1][32]byte
}

func newKeyCache(n int) *keyCache {
	if n <= 0 {
		return nil
	}
	return &keyCache{max: n, m: make(map[[8]byte]*cacheEntry, min(n, 1024))}
}

// derive writes the key of counter c (nonzero) of device id into out. It
// returns false if the entry was evicted meanwhile; the caller then derives
// without the cache.
func (kc *keyCache) derive(out []byte, id [8]byte, c uint32, d deriver) bool {
	e := kc.get(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.dead {
		return false
	}
	n := d.n
	if !e.init {
		d.initialKey(e.keys[0][:n], id)
		e.init = true
		e.path = 0
	}
	// The chain of c shares with the chain of e.path the one-bits above
	// their highest differing bit.
	var from uint32
	if x := c ^ e.path; x == 0 {
		from = c
	} else {
		h := 31 - bits.LeadingZeros32(x)
		from = c &^ (uint32(2)<<h - 1)
		if h == 31 {
			from = 0
		}
	}
	j := bits.OnesCount32(from)
	for rest := c &^ from; rest != 0; {
		bit := uint32(1) << (31 - bits.LeadingZeros32(rest))
		rest &^= bit
		from |= bit
		e.keys[j+1] = e.keys[j]
		d.step(e.keys[j+1][:n], from)
		j++
	}
	e.path = c
	copy(out, e.keys[j][:n])
	return true
}

// get returns the entry of id, creating it and evicting the least recently
// used entry if needed.
func (kc *keyCache) get(id [8]byte) *cacheEntry {
	var victim *cacheEntry
	kc.mu.Lock()
	e := kc.m[id]
	if e != nil {
		kc.unlink(e)
	} else {
		e = &cacheEntry{id: id}
		kc.m[id] = e
		if len(kc.m) > kc.max {
			victim = kc.tail
			kc.unlink(victim)
			delete(kc.m, victim.id)
		}
	}
	kc.pushFront(e)
	kc.mu.Unlock()
	if victim != nil {
		victim.mu.Lock()
		clear(victim.keys[:])
		victim.dead = true
		victim.mu.Unlock()
	}
	return e
}

func (kc *keyCache) unlink(e *cacheEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		kc.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		kc.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

func (kc *keyCache) pushFront(e *cacheEntry) {
	e.next = kc.head
	if kc.head != nil {
		kc.head.prev = e
	}
	kc.head = e
	if kc.tail == nil {
		kc.tail = e
	}
}

// len returns the number of cached devices.
func (kc *keyCache) len() int {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	return len(kc.m)
}
