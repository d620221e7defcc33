// Package lambdamw is the guard's Go middleware for aws-lambda-go: it
// inspects each raw event before it is decoded for the handler, and answers
// in the trigger's own terms when the policy blocks it.
//
//	eng, err := guard.New(guard.Policy{}) // or guard.LoadPolicy("guard.yaml")
//	...
//	lambda.Start(lambdamw.Wrap(eng, func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
//		...
//	}))
//
// The handler may take any input aws-lambda-go can decode (events.* types,
// json.RawMessage, your own structs) and return any output.
package lambdamw

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasguard/faasguard/guard"
)

// Wrap returns a lambda.Handler that guards h. Pass it to lambda.Start.
func Wrap[TIn, TOut any](eng *guard.Engine, h func(context.Context, TIn) (TOut, error)) lambda.Handler {
	return WrapHandler(eng, lambda.NewHandler(h))
}

// WrapHandler guards a handler that already works on raw payloads.
func WrapHandler(eng *guard.Engine, next lambda.Handler) lambda.Handler {
	return &handler{eng: eng, next: next}
}

type handler struct {
	eng  *guard.Engine
	next lambda.Handler
}

// Invoke inspects payload and then, by verdict:
//   - allow: runs the handler on the payload unchanged;
//   - block: returns guard.BlockResponse without running the handler;
//   - partial (SQS, Kinesis, DynamoDB batches): runs the handler on the
//     good records only and, in quarantine mode, adds the blocked records
//     to the result's batchItemFailures.
func (h *handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		ctx = guard.WithRequestID(ctx, lc.AwsRequestID)
	}
	v := h.eng.Inspect(ctx, payload)
	switch v.Action {
	case guard.Allow:
		return h.next.Invoke(ctx, payload)
	case guard.Partial:
		filtered, err := guard.FilterRecords(payload, v.BlockedRecords)
		if err != nil {
			// the guard cannot cut the batch: never lose good records,
			// fall back to the policy's fail mode for the whole batch
			if h.eng.Policy().Fail == guard.FailOpen {
				return h.next.Invoke(ctx, payload)
			}
			return nil, fmt.Errorf("faasguard: %w", err)
		}
		out, err := h.next.Invoke(ctx, filtered)
		if err != nil {
			return out, err
		}
		return guard.MergeItemFailures(out, v.ItemFailures)
	}
	return guard.BlockResponse(v)
}
