package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// svgNS is the namespace of SVG elements, which go-app creates with
// createElementNS.
const svgNS = "http://www.w3.org/2000/svg"

// The chart's drawing box; the SVG scales it to its width.
const (
	chartW   = 120.0
	chartH   = 40.0
	chartPad = 2.0
)

// chart draws values, oldest first, as a line over a filled area, scaled to
// their own range. Its elements stay the same from one update to the next:
// only their points change, so the browser redraws it in place.
func chart(label string, values []float64) app.UI {
	line := chartPoints(values)
	area := ""
	if line != "" {
		n := len(values)
		area = fmt.Sprintf("%s %s,%g %s,%g", line, fmtNum(chartX(n-1, n)), chartH, fmtNum(chartX(0, n)), chartH)
	}
	return app.Elem("svg").XMLNS(svgNS).Class("chart").
		Attr("viewBox", fmt.Sprintf("0 0 %g %g", chartW, chartH)).
		Attr("preserveAspectRatio", "none").
		Attr("role", "img").Aria("label", label).
		Body(
			app.Elem("polygon").XMLNS(svgNS).Class("area").Attr("points", area),
			app.Elem("polyline").XMLNS(svgNS).Class("line").Attr("points", line),
		)
}

// chartPoints returns the SVG points of values: x by index, y scaled so that
// the lowest value is at the bottom and the highest at the top.
func chartPoints(values []float64) string {
	if len(values) == 0 {
		return ""
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	var b strings.Builder
	for i, v := range values {
		y := chartH / 2
		if hi > lo {
			y = chartH - chartPad - (v-lo)/(hi-lo)*(chartH-2*chartPad)
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fmtNum(chartX(i, len(values))))
		b.WriteByte(',')
		b.WriteString(fmtNum(y))
	}
	return b.String()
}

// chartX returns the x of the i-th of n values: the newest on the right
// edge, one step apart, as if there were always a full window of them.
func chartX(i, n int) float64 {
	step := chartW / float64(maxSamples-1)
	return chartW - float64(n-1-i)*step
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
