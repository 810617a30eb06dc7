package server

import (
	"net/http"

	"github.com/rs/cors"
)

// corsMaxAge is how long, in seconds, a browser may keep a preflight answer.
const corsMaxAge = 600

// newCORS returns the CORS layer of the API: the allowed origins exactly,
// with credentials, never "*". A preflight may ask for Last-Event-ID, which a
// browser preflights when the id is long or unusual, and Content-Type, for a
// JSON publish or sign-in. CORS only lets pages read answers: the origin
// check refuses requests from other origins whatever CORS says.
func newCORS(p *originPolicy) *cors.Cors {
	return cors.New(cors.Options{
		AllowOriginFunc:  p.allows,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodDelete},
		AllowedHeaders:   []string{"Last-Event-ID", "Content-Type"},
		ExposedHeaders:   []string{"Retry-After"},
		AllowCredentials: true,
		MaxAge:           corsMaxAge,
	})
}

// servePreflight answers an OPTIONS request that is not a CORS preflight
// (the CORS layer answers those): it lists the methods of the path.
func servePreflight(methods string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", methods)
		w.WriteHeader(http.StatusNoContent)
	}
}
