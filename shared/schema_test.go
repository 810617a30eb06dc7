package shared_test

import (
	"testing"

	"github.com/heraldhq/herald/shared"
)

type note struct {
	Text string `json:"text"`
}

func TestNewSchema(t *testing.T) {
	tests := []struct {
		name    string
		types   []shared.Type
		wantErr bool
	}{
		{"an app's own types make a schema", []shared.Type{shared.Define[note]("note"), shared.ProbeEvent}, false},
		{"one name defined twice is refused", []shared.Type{shared.Define[note]("note"), shared.Define[note]("note")}, true},
		{"the gap event of the protocol is refused", []shared.Type{shared.GapEvent}, true},
		{"a type named as the position event is refused", []shared.Type{shared.Define[note](shared.PositionEvent)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := shared.NewSchema(tt.types...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewSchema(%d types) error = %v, want an error: %v", len(tt.types), err, tt.wantErr)
			}
			if err == nil && len(s.Types()) != len(tt.types) {
				t.Errorf("schema has %d types, want %d", len(s.Types()), len(tt.types))
			}
		})
	}
}
