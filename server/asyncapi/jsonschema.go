package asyncapi

import (
	"encoding"
	"reflect"
	"strings"
	"time"
)

// Enumerated is implemented by string types that take one of a fixed set of
// values; the JSON Schema of such a type lists them.
type Enumerated interface {
	Enum() []string
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	enumType       = reflect.TypeFor[Enumerated]()
	textMarshaller = reflect.TypeFor[encoding.TextMarshaler]()
)

// jsonSchema returns the JSON Schema of the values of t as encoding/json
// writes them.
func jsonSchema(t reflect.Type) map[string]any {
	if t.Implements(enumType) {
		values := reflect.Zero(t).Interface().(Enumerated).Enum()
		return map[string]any{"type": "string", "enum": values}
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonSchema(t.Elem())
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		return map[string]any{"type": "array", "items": jsonSchema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": jsonSchema(t.Elem())}
	case reflect.Struct:
		return structSchema(t)
	}
	if t.Implements(textMarshaller) {
		return map[string]any{"type": "string"}
	}
	return map[string]any{}
}

// structSchema lists the struct's JSON fields as properties. Decoding is
// strict, so no other property is allowed.
func structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, ok := jsonName(f)
		if !ok {
			continue
		}
		props[name] = jsonSchema(f.Type)
	}
	return map[string]any{
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
}

// jsonName returns the name encoding/json gives field f, and false when the
// field is not encoded.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, true
}
