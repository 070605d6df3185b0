#!/usr/bin/env python3
"""An iotmon device in Python (paho-mqtt), following docs/device-protocol.md.

Each sensor samples on its own thread; every reading is checked against the device's rule
set (threshold, band and hysteresis rules; other kinds are left to the server) and goes,
with any raised / cleared event, into an outbox that keeps it until the server's commit ack
(env/{id}/ack) names its seq. The rule set comes from the retained env/{id}/config topic.
Settings come from the environment; see README.md.
"""
import json
import os
import random
import signal
import sys
import threading
import time

import paho.mqtt.client as mqtt

DEVICE_ID = os.environ.get("DEVICE_ID", "py-1")
HOST = os.environ.get("MQTT_HOST", "127.0.0.1")
PORT = int(os.environ.get("MQTT_PORT", "1883"))
USERNAME = os.environ.get("MQTT_USERNAME") or None
PASSWORD = os.environ.get("MQTT_PASSWORD") or None
TLS = os.environ.get("MQTT_TLS", "0") == "1"
CA_FILE = os.environ.get("MQTT_CA_FILE") or None  # e.g. .data/tls/ca.pem of TLS=1 npm start
# kind:intervalMs,... and kind:centre,... of the simulated values
SENSORS = os.environ.get("SENSORS", "temperature:1000,humidity:2000")
VALUES = os.environ.get("VALUES", "temperature:24,humidity:45")
STATE_FILE = os.environ.get("STATE_FILE", f".{DEVICE_ID}-state.json")
ACK_TIMEOUT_S = float(os.environ.get("ACK_TIMEOUT_S", "10"))
MAX_IN_FLIGHT = 1000

# The server's built-in default, used until a config arrives or when it is emptied.
DEFAULT_RULES = {
    "version": 1,
    "name": "device defaults",
    "rules": [
        {"id": "temperature_alert", "sensor": "temperature", "severity": "warning",
         "kind": "threshold", "op": ">", "value": 30},
    ],
}
OPS = {
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}
EVALUATED = ("threshold", "band", "hysteresis")


def log(msg):
    print(f"[{DEVICE_ID}] {msg}", flush=True)


def topic(*parts):
    return "/".join(("env", DEVICE_ID) + parts)


def pairs(text, cast):
    out = {}
    for item in filter(None, text.split(",")):
        k, _, v = item.partition(":")
        out[k.strip()] = cast(v)
    return out


class Rules:
    """The device's rule set and which of its rules are raised, per sensor."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rule_set = DEFAULT_RULES
        self.open = {}  # (sensor, rule id) -> the rule as raised

    def apply(self, payload):
        if not payload:
            rule_set = DEFAULT_RULES
        else:
            try:
                rule_set = json.loads(payload)
                problem = self.problem(rule_set)
            except ValueError as e:
                problem = f"not JSON: {e}"
            if problem:
                log(f"config refused, keeping {self.rule_set.get('name')!r}: {problem}")
                return
        with self.lock:
            self.rule_set = rule_set
        skipped = [r["id"] for r in rule_set["rules"] if r["kind"] not in EVALUATED]
        log(f"config applied: {rule_set.get('name')!r} ({len(rule_set['rules'])} rules"
            + (f"; left to the server: {', '.join(skipped)}" if skipped else "") + ")")

    @staticmethod
    def problem(rs):
        if not isinstance(rs, dict) or rs.get("version") != 1:
            return "version must be 1"
        if not isinstance(rs.get("rules"), list):
            return "rules must be an array"
        for i, r in enumerate(rs["rules"]):
            if not isinstance(r, dict) or not all(k in r for k in ("id", "sensor", "severity", "kind")):
                return f"rules[{i}] needs id, sensor, severity and kind"
        return None

    def holds(self, rule, value, raised):
        kind = rule["kind"]
        if kind == "threshold":
            return OPS[rule["op"]](value, rule["value"])
        if kind == "band":
            inside = rule["low"] <= value <= rule["high"]
            return inside if rule["mode"] == "inside" else not inside
        # hysteresis: raise past raiseAt, clear only past clearAt
        above = rule["direction"] == "above"
        edge = rule["clearAt"] if raised else rule["raiseAt"]
        return value > edge if above else value < edge

    def transitions(self, sensor, value):
        """(rule, 'raised' | 'cleared') for this reading."""
        out = []
        with self.lock:
            rules = {r["id"]: r for r in self.rule_set["rules"]
                     if r["sensor"] == sensor and r["kind"] in EVALUATED
                     and DEVICE_ID in r.get("devices", [DEVICE_ID])}
            for rid, rule in rules.items():
                raised = (sensor, rid) in self.open
                try:
                    now = self.holds(rule, value, raised)
                except (KeyError, TypeError):
                    continue
                if now and not raised:
                    self.open[(sensor, rid)] = rule
                    out.append((rule, "raised"))
                elif raised and not now:
                    out.append((self.open.pop((sensor, rid)), "cleared"))
            # A raised rule the new rule set no longer has is cleared by the next reading.
            for key in [k for k in self.open if k[0] == sensor and k[1] not in rules]:
                out.append((self.open.pop(key), "cleared"))
        return out


class Outbox:
    """Everything not yet acknowledged as committed; seq counters survive a restart."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.items = {}  # (stream, seq) -> [topic, payload, sent_at]
        try:
            with open(path) as f:
                self.seq = json.load(f)["seq"]
        except (OSError, ValueError, KeyError):
            self.seq = {}

    def add(self, stream, topic_name, body):
        with self.lock:
            seq = self.seq.get(stream, 0) + 1
            self.seq[stream] = seq
            # On disk before it is sent: a crash never re-uses a seq.
            tmp = self.path + ".tmp"
            with open(tmp, "w") as f:
                json.dump({"seq": self.seq}, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            body["seq"] = seq
            self.items[(stream, seq)] = [topic_name, json.dumps(body), None]

    def acked(self, stream, ranges):
        with self.lock:
            for lo, hi in ranges:
                for key in [k for k in self.items if k[0] == stream and lo <= k[1] <= hi]:
                    del self.items[key]

    def due(self, now):
        with self.lock:
            in_flight = sum(1 for v in self.items.values() if v[2] is not None and now - v[2] < ACK_TIMEOUT_S)
            # Events first, then the oldest readings.
            ready = sorted((k for k, v in self.items.items() if v[2] is None or now - v[2] >= ACK_TIMEOUT_S),
                           key=lambda k: (k[0] != "event", k[1]))
            out = []
            for key in ready[: max(0, MAX_IN_FLIGHT - in_flight)]:
                self.items[key][2] = now
                out.append((self.items[key][0], self.items[key][1]))
            return out

    def unsend_all(self):
        with self.lock:
            for v in self.items.values():
                v[2] = None

    def __len__(self):
        with self.lock:
            return len(self.items)


class Device:
    def __init__(self):
        self.rules = Rules()
        self.outbox = Outbox(STATE_FILE)
        self.connected = threading.Event()
        self.stopping = threading.Event()
        if hasattr(mqtt, "CallbackAPIVersion"):  # paho-mqtt 2
            self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, client_id=f"edge-{DEVICE_ID}")
        else:
            self.client = mqtt.Client(client_id=f"edge-{DEVICE_ID}", clean_session=True)
        if USERNAME:
            self.client.username_pw_set(USERNAME, PASSWORD)
        if TLS:
            self.client.tls_set(ca_certs=CA_FILE)
        self.client.will_set(topic("status"), json.dumps({"status": "offline", "ts": 0}), qos=1, retain=True)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self.on_connect
        self.client.on_disconnect = self.on_disconnect
        self.client.on_message = self.on_message

    def on_connect(self, client, _userdata, _flags, rc):
        if rc != 0:
            log(f"connection refused: {mqtt.connack_string(rc)}")
            return
        log(f"connected to {HOST}:{PORT}")
        client.publish(topic("status"), json.dumps({"status": "online", "ts": int(time.time() * 1000)}), qos=1, retain=True)
        client.subscribe([(topic("config"), 1), (topic("ack"), 1)])
        # What was in flight when the connection dropped is sent again.
        self.outbox.unsend_all()
        self.connected.set()

    def on_disconnect(self, _client, _userdata, rc):
        self.connected.clear()
        if not self.stopping.is_set():
            log(f"disconnected ({rc}); reconnecting")

    def on_message(self, _client, _userdata, msg):
        if msg.topic == topic("config"):
            self.rules.apply(msg.payload.decode())
        elif msg.topic == topic("ack"):
            try:
                ack = json.loads(msg.payload)
                for sensor, ranges in (ack.get("raw") or {}).items():
                    self.outbox.acked(sensor, ranges)
                self.outbox.acked("event", ack.get("event") or [])
            except (ValueError, AttributeError, TypeError):
                log("ignored a malformed ack")

    def sample(self, sensor, interval_s, centre):
        value = centre
        while not self.stopping.wait(interval_s):
            value = round(value + random.gauss(0, 0.05) + (centre - value) * 0.1, 2)
            ts = int(time.time() * 1000)
            reading = {"value": value, "ts": ts}
            if not self.connected.is_set():
                reading["late"] = True
            for rule, state in self.rules.transitions(sensor, value):
                event = {"ruleId": rule["id"], "state": state, "severity": rule["severity"],
                         "value": value, "ts": ts,
                         "message": f"{DEVICE_ID} {sensor} {value} {state} by {rule['id']}"}
                if reading.get("late"):
                    event["late"] = True
                self.outbox.add("event", topic("event", sensor), event)
                log(f"{rule['id']} {state} at {value}")
            self.outbox.add(sensor, topic(sensor, "raw"), reading)

    def send(self):
        while not self.stopping.wait(0.2):
            if not self.connected.is_set():
                continue
            for topic_name, payload in self.outbox.due(time.monotonic()):
                self.client.publish(topic_name, payload, qos=1)

    def run(self):
        intervals = pairs(SENSORS, lambda v: int(v or 1000) / 1000)
        centres = pairs(VALUES, float)
        threads = [threading.Thread(target=self.sample, args=(s, i, centres.get(s, 20.0)), daemon=True)
                   for s, i in intervals.items()]
        threads.append(threading.Thread(target=self.send, daemon=True))
        self.client.connect_async(HOST, PORT, keepalive=30)
        self.client.loop_start()
        for t in threads:
            t.start()
        log(f"sampling {', '.join(intervals)}")
        signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        signal.signal(signal.SIGINT, lambda *_: self.stopping.set())
        while not self.stopping.wait(1):
            pass
        # A clean stop says offline itself: the broker sends the last will only on a loss.
        if self.connected.is_set():
            info = self.client.publish(topic("status"), json.dumps({"status": "offline", "ts": int(time.time() * 1000)}), qos=1, retain=True)
            info.wait_for_publish(timeout=2)
        self.client.disconnect()
        self.client.loop_stop()
        log(f"stopped; {len(self.outbox)} item(s) not acknowledged")


if __name__ == "__main__":
    Device().run()
    sys.exit(0)
