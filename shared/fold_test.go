package shared

import (
	"reflect"
	"strings"
	"testing"
)

type testReading struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

type testLine struct {
	Text string `json:"text"`
}

var (
	testReadingEvent = Define[testReading]("reading")
	testLineEvent    = Define[testLine]("line")
)

// testState is a page's state: the latest reading per name, the last lines.
type testState struct {
	Readings Latest[float64]
	Lines    Last[string]
}

func newTestFold(t *testing.T, keys, lines int) *Fold[testState] {
	t.Helper()
	f, err := NewFold(func() testState { return testState{NewLatest[float64](keys), NewLast[string](lines)} },
		On(testReadingEvent, func(s testState, r testReading) testState {
			s.Readings = s.Readings.Set(r.Name, r.Value)
			return s
		}),
		On(testLineEvent, func(s testState, l testLine) testState {
			s.Lines = s.Lines.Add(l.Text)
			return s
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

type testInput struct{ typ, data string }

func TestAFoldAppliesEachEventToTheStateOfItsType(t *testing.T) {
	cases := []struct {
		name      string
		keys      int
		lines     int
		events    []testInput
		wantKeys  []string
		wantVals  map[string]float64
		wantLines []string
	}{
		{"no event leaves the initial state", 2, 2, nil, nil, map[string]float64{}, nil},
		{"the latest reading of a name replaces the one before", 2, 2,
			[]testInput{{"reading", `{"name":"cpu","value":1}`}, {"reading", `{"name":"cpu","value":2}`}},
			[]string{"cpu"}, map[string]float64{"cpu": 2}, nil},
		{"a name past the bound drops the one that came first", 2, 2,
			[]testInput{{"reading", `{"name":"a","value":1}`}, {"reading", `{"name":"b","value":2}`}, {"reading", `{"name":"c","value":3}`}},
			[]string{"b", "c"}, map[string]float64{"b": 2, "c": 3}, nil},
		{"lines past the bound drop the oldest", 2, 2,
			[]testInput{{"line", `{"text":"1"}`}, {"line", `{"text":"2"}`}, {"line", `{"text":"3"}`}},
			nil, map[string]float64{}, []string{"2", "3"}},
		{"an event of a type the fold has no step for changes nothing", 2, 2,
			[]testInput{{"line", `{"text":"1"}`}, {"probe", `{"t":1}`}},
			nil, map[string]float64{}, []string{"1"}},
		{"a bound of zero keeps nothing", 0, 0,
			[]testInput{{"line", `{"text":"1"}`}, {"reading", `{"name":"a","value":1}`}},
			nil, map[string]float64{}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newTestFold(t, c.keys, c.lines)
			s := f.Initial()
			for _, e := range c.events {
				var err error
				if s, err = f.Apply(s, e.typ, []byte(e.data)); err != nil {
					t.Fatalf("apply %s %s: %v", e.typ, e.data, err)
				}
			}
			if !reflect.DeepEqual(s.Readings.Keys, c.wantKeys) || len(s.Readings.Values) != len(c.wantVals) {
				t.Errorf("readings %v %v, want %v %v", s.Readings.Keys, s.Readings.Values, c.wantKeys, c.wantVals)
			}
			for k, v := range c.wantVals {
				if got, ok := s.Readings.Get(k); !ok || got != v {
					t.Errorf("reading %s = %v, %v; want %v", k, got, ok, v)
				}
			}
			if !reflect.DeepEqual(s.Lines.Items, c.wantLines) {
				t.Errorf("lines %q, want %q", s.Lines.Items, c.wantLines)
			}
		})
	}
}

func TestAFoldRefusesDataItsTypeRefusesAndKeepsTheState(t *testing.T) {
	f := newTestFold(t, 2, 2)
	s, err := f.Apply(f.Initial(), "line", []byte(`{"text":"kept"}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err = f.Apply(s, "line", []byte(`{"text":1}`))
	if err == nil || !strings.Contains(err.Error(), "decode line") {
		t.Errorf("apply a line whose text is a number: error %v, want one that names the type", err)
	}
	if !reflect.DeepEqual(s.Lines.Items, []string{"kept"}) {
		t.Errorf("lines after a refused event %q, want [kept]", s.Lines.Items)
	}
}

func TestAFoldListsTheTypesOfItsStepsInOrder(t *testing.T) {
	if got := newTestFold(t, 1, 1).Types(); !reflect.DeepEqual(got, []string{"reading", "line"}) {
		t.Errorf("types %q, want [reading line]", got)
	}
}

func TestNewFoldRefusesStepsItCannotUse(t *testing.T) {
	line := On(testLineEvent, func(s int, _ testLine) int { return s + 1 })
	cases := []struct {
		name    string
		steps   []Step[int]
		wantErr string
	}{
		{"no step", nil, "no step"},
		{"a step not made by On", []Step[int]{{}}, "not made by On"},
		{"a step of an event never defined", []Step[int]{On(Event[testLine]{}, func(s int, _ testLine) int { return s })}, "not made by On"},
		{"two steps of one type", []Step[int]{line, line}, `"line" has two steps`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewFold(nil, c.steps...)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %v, want one with %q", err, c.wantErr)
			}
		})
	}
}

func TestAFoldWithoutAnInitialStateStartsAtTheZeroValue(t *testing.T) {
	f := MustFold(nil, On(testLineEvent, func(s int, _ testLine) int { return s + 1 }))
	s, err := f.Apply(f.Initial(), "line", []byte(`{"text":"x"}`))
	if err != nil || s != 1 {
		t.Errorf("count after one line %d, %v; want 1, nil", s, err)
	}
}
