import sqlite3

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()
db = sqlite3.connect("/tmp/app.db")


@app.get("/todos/<todo_id>")
def get_todo(todo_id: str):
    return db.execute(f"SELECT * FROM todos WHERE id = '{todo_id}'").fetchall()


@app.post("/todos")
def create_todo():
    body = app.current_event.json_body
    db.execute("INSERT INTO todos (title) VALUES ('" + body["title"] + "')")
    return {"ok": True}


def lambda_handler(event, context):
    return app.resolve(event, context)
