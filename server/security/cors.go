package security

import (
	"net/http"

	"github.com/rs/cors"
)

// corsMaxAge is how long, in seconds, a browser may keep a preflight answer.
const corsMaxAge = 600

// NewCORS returns the CORS layer of the API: the allowed origins exactly,
// with credentials, never "*". A preflight may ask for Last-Event-ID, which a
// browser preflights when the id is long or unusual, and Content-Type, for a
// JSON publish or sign-in. CORS only lets pages read answers: the origin
// check refuses requests from other origins whatever CORS says.
func NewCORS(p *Origins) *cors.Cors {
	return cors.New(cors.Options{
		AllowOriginFunc:  p.Allows,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodDelete},
		AllowedHeaders:   []string{"Last-Event-ID", "Content-Type"},
		ExposedHeaders:   []string{"Retry-After"},
		AllowCredentials: true,
		MaxAge:           corsMaxAge,
	})
}
