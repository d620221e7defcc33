package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRuntimeAndExtensionAPIs(t *testing.T) {
	e, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	base := "http://" + e.Addr()

	// register an extension for both events
	req, _ := http.NewRequest(http.MethodPost, base+"/2020-01-01/extension/register", strings.NewReader(`{"events":["INVOKE","SHUTDOWN"]}`))
	req.Header.Set("Lambda-Extension-Name", "probe")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("register: %v %v", resp, err)
	}
	extID := resp.Header.Get("Lambda-Extension-Identifier")
	resp.Body.Close()

	// a runtime that answers the first invocation and fails the second
	go func() {
		for i := 0; i < 2; i++ {
			resp, err := http.Get(base + "/2018-06-01/runtime/invocation/next")
			if err != nil {
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
			path, payload := "/response", append([]byte(`{"echo":`), append(body, '}')...)
			if i == 1 {
				path, payload = "/error", []byte(`{"errorMessage":"boom","errorType":"E"}`)
			}
			r, err := http.Post(base+"/2018-06-01/runtime/invocation/"+id+path, "application/json", bytes.NewReader(payload))
			if err == nil {
				r.Body.Close()
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := e.Invoke(ctx, []byte(`{"n":1}`))
	if err != nil || string(res.Body) != `{"echo":{"n":1}}` || res.Error {
		t.Fatalf("first: %+v %v", res, err)
	}
	res, err = e.Invoke(ctx, []byte(`{"n":2}`))
	if err != nil || !res.Error || !bytes.Contains(res.Body, []byte("boom")) {
		t.Fatalf("second: %+v %v", res, err)
	}

	// the extension saw both invocations, then a shutdown
	var types []string
	for range 3 {
		if len(types) == 2 {
			e.Shutdown("spindown")
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/2020-01-01/extension/event/next", nil)
		req.Header.Set("Lambda-Extension-Identifier", extID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var ev struct{ EventType string }
		json.NewDecoder(resp.Body).Decode(&ev)
		resp.Body.Close()
		types = append(types, ev.EventType)
	}
	if strings.Join(types, ",") != "INVOKE,INVOKE,SHUTDOWN" {
		t.Errorf("extension events %v", types)
	}

	// unknown request IDs and unregistered extensions are refused
	r, _ := http.Post(base+"/2018-06-01/runtime/invocation/nope/response", "application/json", strings.NewReader("{}"))
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown id: %s", r.Status)
	}
	r.Body.Close()
}

func TestInvokeCancelled(t *testing.T) {
	e, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := e.Invoke(ctx, []byte(`{}`)); err == nil {
		t.Error("no runtime, yet the invocation returned")
	}
}
