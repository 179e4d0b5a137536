package tlv

// Find returns the first data object with tag t in data, searching
// depth-first: each object, then the objects inside it if it is
// constructed, then its next sibling. It returns an error wrapping
// [ErrNotFound] if there is none, or a [*SyntaxError] for malformed input
// met before a match. It does not allocate on success.
func Find(data []byte, t Tag) (Object, error) {
	return Options{}.Find(data, t)
}

// Find is like the package function [Find], with the rules o.
func (o Options) Find(data []byte, t Tag) (Object, error) {
	c, err := find(o.NewCursor(data), t)
	if err != nil {
		return Object{}, err
	}
	return c.Object(), nil
}

// find reads c until it finds an object with tag t, at this level or
// below, and returns the cursor of the level that holds it, positioned on
// it. The recursive helpers of this file pass cursors by value so that
// none escapes to the heap.
func find(c Cursor, t Tag) (Cursor, error) {
	for c.Next() {
		if c.tag == t {
			return c, nil
		}
		if c.tag.Constructed() {
			if found, err := find(c.Children(), t); err != ErrNotFound {
				return found, err
			}
		}
	}
	if c.err != nil {
		return c, c.err
	}
	return c, ErrNotFound
}

// FindAll returns every data object with tag t in data, in depth-first
// order, including objects nested inside a match. The whole input is
// checked; malformed input returns a [*SyntaxError] and no objects. An
// absent tag returns no objects and no error.
func FindAll(data []byte, t Tag) ([]Object, error) {
	return Options{}.FindAll(data, t)
}

// FindAll is like the package function [FindAll], with the rules o.
func (o Options) FindAll(data []byte, t Tag) ([]Object, error) {
	found, err := appendAll(nil, o.NewCursor(data), t)
	if err != nil {
		return nil, err
	}
	return found, nil
}

func appendAll(dst []Object, c Cursor, t Tag) ([]Object, error) {
	for c.Next() {
		if c.tag == t {
			dst = append(dst, c.Object())
		}
		if c.tag.Constructed() {
			var err error
			if dst, err = appendAll(dst, c.Children(), t); err != nil {
				return dst, err
			}
		}
	}
	return dst, c.err
}

// FindPath returns the object at the end of a path of tags from the top
// level of data: FindPath(resp, 0x6F, 0xA5, 0xBF0C, 0x61, 0x4F) finds the
// first AID in the directory entries of an FCI. Where several siblings
// match a step, each is tried in order until the rest of the path matches.
// It returns an error wrapping [ErrNotFound] if no object is at the path,
// or a [*SyntaxError] for malformed input met on the way.
func FindPath(data []byte, path ...Tag) (Object, error) {
	return Options{}.FindPath(data, path...)
}

// FindPath is like the package function [FindPath], with the rules o.
func (o Options) FindPath(data []byte, path ...Tag) (Object, error) {
	if len(path) == 0 {
		return Object{}, ErrNotFound
	}
	c, err := findPath(o.NewCursor(data), path)
	if err != nil {
		return Object{}, err
	}
	return c.Object(), nil
}

func findPath(c Cursor, path []Tag) (Cursor, error) {
	for c.Next() {
		if c.tag != path[0] {
			continue
		}
		if len(path) == 1 {
			return c, nil
		}
		if !c.tag.Constructed() {
			continue
		}
		if found, err := findPath(c.Children(), path[1:]); err != ErrNotFound {
			return found, err
		}
	}
	if c.err != nil {
		return c, c.err
	}
	return c, ErrNotFound
}
