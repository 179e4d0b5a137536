module connbench

go 1.26.0

require (
	github.com/moov-io/iso8583 v0.26.1
	github.com/moov-io/iso8583-connection v0.9.0
	github.com/posflow/posflow v0.0.0
)

require (
	github.com/yerden/go-util v1.1.4 // indirect
	golang.org/x/text v0.41.0 // indirect
)

replace github.com/posflow/posflow => ../../..
