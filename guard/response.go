package guard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/faasguard/faasguard/guard/envelope"
)

// ErrBlocked is the invocation error for triggers whose caller expects an
// error on rejection (Cognito user-pool triggers show it to the user).
var ErrBlocked = errors.New("faasguard: request blocked by policy")

// forbiddenBody is the body of blocked HTTP requests; it names no rule so
// that an attacker learns nothing from it.
const forbiddenBody = `{"message":"Forbidden"}`

// BlockResponse returns the function result to send instead of running
// the handler for a verdict whose Action is Block, shaped for the trigger:
//
//   - API Gateway v1/v2, WebSocket, function URL: a 403 proxy response
//   - ALB: a 403 with statusDescription
//   - SQS, Kinesis, DynamoDB: batchItemFailures for the blocked records
//     (quarantine) or an empty list (drop: acknowledged, never retried)
//   - Cognito: ErrBlocked, which Cognito turns into a sign-in error
//   - everything else (S3, SNS, EventBridge, ...): a small acknowledgement,
//     so that asynchronous sources do not retry the event
func BlockResponse(v Verdict) ([]byte, error) {
	t := envelope.Trigger(v.Trigger)
	switch {
	case t == envelope.ALB:
		return json.Marshal(map[string]any{
			"statusCode": 403, "statusDescription": "403 Forbidden", "isBase64Encoded": false,
			"headers": map[string]string{"Content-Type": "application/json"}, "body": forbiddenBody,
		})
	case t.HTTP():
		return json.Marshal(map[string]any{
			"statusCode": 403, "isBase64Encoded": false,
			"headers": map[string]string{"Content-Type": "application/json"}, "body": forbiddenBody,
		})
	case t.Batch():
		return batchResponse(v.ItemFailures), nil
	case t == envelope.Cognito:
		return nil, ErrBlocked
	}
	return []byte(`{"faasguard":"blocked"}`), nil
}

func batchResponse(ids []string) []byte {
	type item struct {
		ItemIdentifier string `json:"itemIdentifier"`
	}
	items := make([]item, 0, len(ids))
	for _, id := range ids {
		items = append(items, item{id})
	}
	b, _ := json.Marshal(map[string]any{"batchItemFailures": items})
	return b
}

// FilterRecords returns the event with the listed Records removed, for
// batch verdicts whose Action is Partial. Other members are kept.
func FilterRecords(raw []byte, blocked []int) ([]byte, error) {
	if len(blocked) == 0 {
		return raw, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("filter records: %w", err)
	}
	var recs []json.RawMessage
	if err := json.Unmarshal(top["Records"], &recs); err != nil {
		return nil, fmt.Errorf("filter records: Records: %w", err)
	}
	drop := map[int]bool{}
	for _, i := range blocked {
		drop[i] = true
	}
	kept := recs[:0]
	for i, r := range recs {
		if !drop[i] {
			kept = append(kept, r)
		}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return nil, err
	}
	top["Records"] = b
	return json.Marshal(top)
}

// MergeItemFailures adds batchItemFailures for ids to a handler's result:
// a null or empty result becomes {"batchItemFailures": [...]}, an object
// result gets the identifiers appended to its own list.
func MergeItemFailures(result []byte, ids []string) ([]byte, error) {
	if len(ids) == 0 {
		return result, nil
	}
	t := bytes.TrimSpace(result)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) || bytes.Equal(t, []byte(`""`)) {
		return batchResponse(ids), nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(t, &obj); err != nil {
		return nil, fmt.Errorf("merge batchItemFailures: handler result is not a JSON object: %w", err)
	}
	type item struct {
		ItemIdentifier string `json:"itemIdentifier"`
	}
	var items []item
	if raw, ok := obj["batchItemFailures"]; ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("merge batchItemFailures: %w", err)
		}
	}
	have := map[string]bool{}
	for _, it := range items {
		have[it.ItemIdentifier] = true
	}
	for _, id := range ids {
		if !have[id] {
			items = append(items, item{id})
		}
	}
	b, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	obj["batchItemFailures"] = b
	return json.Marshal(obj)
}
