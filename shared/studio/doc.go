// Package studio holds the domain types of AI Infra Studio: experiments,
// runs, metric series, log lines, timeline events, models, deployments and
// traces, plus the coded Error used for every user-facing failure.
//
// The types are shared unchanged by the server and the browser client, so
// they carry JSON tags (snake_case) and import only the standard library.
package studio
