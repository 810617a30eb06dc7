package shared

// The ready-made states of folds: the last n of something, and the latest of
// each of several things. They are plain values: folds hold them in their
// state, and encoding/json carries them from the server to the page.

// Last is the newest values of a kind, oldest first, at most N of them.
type Last[T any] struct {
	// N is how many values it keeps; 0 or less keeps none.
	N int `json:"n"`
	// Items are the values, oldest first.
	Items []T `json:"items"`
}

// NewLast returns an empty Last that keeps n values.
func NewLast[T any](n int) Last[T] { return Last[T]{N: n} }

// Add returns l with v after its values, without the oldest past N. It may
// reuse the storage of l, as a fold's step does with the state it owns.
func (l Last[T]) Add(v T) Last[T] {
	if l.N <= 0 {
		return l
	}
	l.Items = append(l.Items, v)
	if over := len(l.Items) - l.N; over > 0 {
		l.Items = l.Items[over:]
	}
	return l
}

// Latest is the latest value of each key, in the order the keys first came,
// at most N keys: past them, the key that came first is dropped.
type Latest[T any] struct {
	// N is how many keys it keeps; 0 or less keeps none.
	N int `json:"n"`
	// Keys are the keys in the order they first came.
	Keys []string `json:"keys"`
	// Values are the latest value of each key.
	Values map[string]T `json:"values"`
}

// NewLatest returns an empty Latest that keeps n keys.
func NewLatest[T any](n int) Latest[T] { return Latest[T]{N: n, Values: map[string]T{}} }

// Set returns l with v as the latest value of key. It may reuse the storage
// of l, as a fold's step does with the state it owns.
func (l Latest[T]) Set(key string, v T) Latest[T] {
	if l.N <= 0 {
		return l
	}
	if l.Values == nil {
		l.Values = map[string]T{}
	}
	if _, seen := l.Values[key]; !seen {
		l.Keys = append(l.Keys, key)
		for len(l.Keys) > l.N {
			delete(l.Values, l.Keys[0])
			l.Keys = l.Keys[1:]
		}
	}
	l.Values[key] = v
	return l
}

// Get returns the latest value of key.
func (l Latest[T]) Get(key string) (T, bool) {
	v, ok := l.Values[key]
	return v, ok
}
