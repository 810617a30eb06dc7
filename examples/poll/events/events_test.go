package events

import (
	"encoding/json"
	"testing"
)

func TestTallyValidate(t *testing.T) {
	tests := []struct {
		name  string
		tally Tally
		ok    bool
	}{
		{"an empty tally is valid", Tally{}, true},
		{"votes for options that add up to the total are valid", Tally{Votes: map[string]int{"go": 2, "zig": 1}, Total: 3}, true},
		{"a vote for something that is not an option is refused", Tally{Votes: map[string]int{"cobol": 1}, Total: 1}, false},
		{"a negative count is refused", Tally{Votes: map[string]int{"go": 2, "rust": -1}, Total: 1}, false},
		{"a total that is not the sum is refused", Tally{Votes: map[string]int{"go": 2}, Total: 3}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.tally.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate(%+v) = %v, want ok %v", tt.tally, err, tt.ok)
			}
			if _, err := TallyEvent.Decode(mustEncode(t, tt.tally)); (err == nil) != tt.ok {
				t.Fatalf("Decode of %+v = %v, want ok %v", tt.tally, err, tt.ok)
			}
		})
	}
}

// mustEncode returns the JSON of tally, valid or not.
func mustEncode(t *testing.T, tally Tally) []byte {
	t.Helper()
	b, err := json.Marshal(tally)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
