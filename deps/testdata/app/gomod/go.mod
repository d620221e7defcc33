module example.com/fn

go 1.22

require (
	github.com/aws/aws-lambda-go v1.41.0
	golang.org/x/net v0.16.0 // indirect
)

replace example.com/local => ../local
