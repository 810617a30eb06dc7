package transport

import (
	"errors"
	"net/http"
	"reflect"
	"time"
)

// Response writes a stream through the handler's ResponseWriter: for HTTP/2,
// and for a stream's preamble before it leaves net/http.
//
// A middleware's ResponseWriter that neither flushes nor unwraps (it embeds
// http.ResponseWriter and overrides WriteHeader, say) does not stop the
// stream: the bytes still go through it, and the flush and the write
// deadline go to the ResponseWriter it embeds.
type Response struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	inner   *http.ResponseController // under the wrappers, for what rc cannot do
	timeout time.Duration
}

// NewResponse returns the Response of w, whose writes wait at most timeout.
func NewResponse(w http.ResponseWriter, timeout time.Duration) *Response {
	return &Response{w: w, rc: http.NewResponseController(w), timeout: timeout}
}

// Write sends buf[ChunkRoom:] and flushes it, within the write timeout.
func (s *Response) Write(buf []byte) error {
	if len(buf) == ChunkRoom {
		return nil
	}
	deadline := time.Now().Add(s.timeout)
	if err := s.do(func(rc *http.ResponseController) error { return rc.SetWriteDeadline(deadline) }); err != nil {
		return err
	}
	if _, err := s.w.Write(buf[ChunkRoom:]); err != nil {
		return err
	}
	return s.do((*http.ResponseController).Flush)
}

// do runs op on the ResponseWriter, or on the one it embeds when it does
// not support op. Where none does, it does nothing: the bytes then leave
// when net/http's buffer fills or the stream ends.
func (s *Response) do(op func(*http.ResponseController) error) error {
	err := op(s.rc)
	if !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if s.inner == nil {
		s.inner = http.NewResponseController(innermost(s.w))
	}
	if err := op(s.inner); !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

// innermost returns the ResponseWriter under w's wrappers: those that
// unwrap, as http.ResponseController follows them, and structs that embed
// an http.ResponseWriter, as most middleware's do.
func innermost(w http.ResponseWriter) http.ResponseWriter {
	for range maxWrappers {
		if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
			w = u.Unwrap()
			continue
		}
		inner := embedded(w)
		if inner == nil {
			return w
		}
		w = inner
	}
	return w
}

// maxWrappers bounds the wrappers innermost looks through.
const maxWrappers = 16

var responseWriterType = reflect.TypeFor[http.ResponseWriter]()

// embedded returns the http.ResponseWriter that the struct w is, or points
// to, embeds; nil when there is none.
func embedded(w http.ResponseWriter) http.ResponseWriter {
	v := reflect.ValueOf(w)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Anonymous && f.Type == responseWriterType {
			inner, _ := v.Field(i).Interface().(http.ResponseWriter)
			return inner
		}
	}
	return nil
}
