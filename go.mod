module github.com/posflow/posflow

go 1.26

require (
	github.com/google/go-cmp v0.7.0
	github.com/moov-io/bertlv v0.1.0
	github.com/moov-io/iso8583 v0.26.1
	github.com/yeqown/go-qrcode/v2 v2.3.0
)

require (
	github.com/yeqown/reedsolomon v1.0.0 // indirect
	github.com/yerden/go-util v1.1.4 // indirect
	golang.org/x/text v0.41.0 // indirect
)
