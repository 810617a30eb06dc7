package sse_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/heraldhq/herald/shared/sse"
)

func ExampleReader() {
	stream := "retry: 5000\n" +
		": a comment\n" +
		"id: 1\nevent: greeting\ndata: hello\ndata: world\n\n" +
		"data: no id of its own\n\n" +
		"id: 3\ndata: never finished"
	r := sse.NewReader(strings.NewReader(stream))
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Printf("%s %s %q\n", e.ID, e.Type, e.Data)
	}
	retry, _ := r.Retry()
	fmt.Println("resume after", r.LastEventID(), "in", retry)
	// Output:
	// 1 greeting "hello\nworld"
	// 1 message "no id of its own"
	// resume after 1 in 5s
}
