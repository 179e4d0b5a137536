module github.com/posflow/posflow

go 1.26

require (
	github.com/google/go-cmp v0.7.0
	github.com/moov-io/bertlv v0.1.0
)
