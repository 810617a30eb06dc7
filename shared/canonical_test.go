package shared_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/heraldhq/herald/shared"
)

// level is an event type with a nested value, an omitted zero field and a
// Validate method, the cases where a lenient decode and a strict one could
// part.
type level struct {
	Name  string            `json:"name"`
	Value float64           `json:"value"`
	Unit  string            `json:"unit,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
	Seen  []int             `json:"seen"`
}

func (l level) Validate() error {
	if l.Name == "" {
		return errors.New("a level needs a name")
	}
	return nil
}

var levelEvent = shared.Define[level]("level")

// strictCanonical is what Canonical promises: the strict decode, encoded.
func strictCanonical(data []byte) ([]byte, error) {
	v, err := levelEvent.Decode(data)
	if err != nil {
		return nil, err
	}
	return levelEvent.Encode(v)
}

func TestCanonicalAgreesWithTheStrictDecode(t *testing.T) {
	for _, data := range canonicalSeeds {
		got, gotErr := levelEvent.Canonical([]byte(data))
		want, wantErr := strictCanonical([]byte(data))
		if !bytes.Equal(got, want) || errText(gotErr) != errText(wantErr) {
			t.Errorf("Canonical(%s) = %s, %v; the strict decode gives %s, %v", data, got, gotErr, want, wantErr)
		}
	}
}

func TestCanonicalRefusesWhatTheStrictDecodeRefuses(t *testing.T) {
	for _, data := range []string{
		`{"name":"a","value":1,"seen":null,"extra":1}`,
		`{"name":"","value":1,"seen":null}`,
		`{"name":"a","value":1,"seen":null} {}`,
		`{"name":"a","value":"1","seen":null}`,
	} {
		if _, err := levelEvent.Canonical([]byte(data)); err == nil {
			t.Errorf("Canonical(%s) accepted it", data)
		}
	}
}

func FuzzCanonical(f *testing.F) {
	for _, data := range canonicalSeeds {
		f.Add([]byte(data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := levelEvent.Canonical(data)
		want, wantErr := strictCanonical(data)
		if !bytes.Equal(got, want) || errText(gotErr) != errText(wantErr) {
			t.Fatalf("Canonical(%q) = %q, %v; the strict decode gives %q, %v", data, got, gotErr, want, wantErr)
		}
	})
}

var canonicalSeeds = []string{
	`{"name":"cpu","value":0.5,"seen":[1,2]}`,
	`{"name":"cpu","value":0.5,"unit":"%","tags":{"a":"b"},"seen":null}`,
	`{"name":"cpu","value":0.5,"seen":null,"extra":true}`,
	`{"name":"cpu","value":0.5,"unit":"","seen":null}`,
	`{"value":0.5,"name":"cpu","seen":null}`,
	`{"name":"cpu","name":"gpu","value":1,"seen":null}`,
	`{"NAME":"cpu","value":1,"seen":null}`,
	`{"name":"<b>","value":1,"seen":null}`,
	`{"name":"\u003cb\u003e","value":1,"seen":null}`,
	`{"name":"","value":1,"seen":null}`,
	`{"name":"cpu","value":1e3,"seen":null}`,
	`{"name":"cpu","value":1,"seen":null} `,
	`{"name":"cpu","value":1,"seen":null}x`,
	` {"name":"cpu","value":1,"seen":null}`,
	`null`,
	`[]`,
	``,
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// tally encodes a field it does not decode: a lenient decode of its own
// encoding would drop that field and the encoding give it back.
type tally struct {
	A int `json:"a"`
}

func (t tally) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		A     int `json:"a"`
		Total int `json:"total"`
	}{t.A, 2 * t.A})
}

func TestCanonicalRefusesAnUnknownFieldThatATypeEncodesItself(t *testing.T) {
	type holder struct {
		T tally `json:"t"`
	}
	for _, tc := range []struct {
		name      string
		canonical func([]byte) ([]byte, error)
		data      string
	}{
		{"the type itself", shared.Define[tally]("tally").Canonical, `{"a":1,"total":2}`},
		{"a field of it", shared.Define[holder]("holder").Canonical, `{"t":{"a":1,"total":2}}`},
		{"an element of it", shared.Define[[]tally]("tallies").Canonical, `[{"a":1,"total":2}]`},
	} {
		if _, err := tc.canonical([]byte(tc.data)); err == nil {
			t.Errorf("%s: Canonical(%s) accepted a field the strict decode refuses", tc.name, tc.data)
		}
	}
}
