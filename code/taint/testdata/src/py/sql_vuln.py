import json
import psycopg2

conn = psycopg2.connect()


def find_user(name):
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = '{}'".format(name))
    return cur.fetchall()


def lambda_handler(event, context):
    body = json.loads(event["body"])
    return find_user(body["name"])
