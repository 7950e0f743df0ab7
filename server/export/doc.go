// Package export renders AI Infra Studio's charts and reports on the
// server with github.com/tdewolff/canvas: a run's metric chart as SVG, PNG
// or PDF, and multi-page PDF reports of a run's or a deployment's timeline
// window.
//
// Charts use the browser's math from package chart (scales, nice ticks,
// number formats, min/max-preserving decimation, TensorBoard EMA and path
// data), so an export looks like the chart on screen. Every series is
// decimated to about two points per pixel column before it is drawn, text
// is drawn with the embedded Go fonts (as outlines in SVG and PNG, as a
// subset font in PDF) and data lines use miter joins with fast stroking,
// which keeps a 100,000-point chart in tens of milliseconds.
//
// The package is safe for concurrent use: fonts are loaded once, PDF font
// subsetting (which mutates the shared font) is serialized, and a
// semaphore bounds the renders in flight so memory stays bounded.
package export
