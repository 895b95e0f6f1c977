"""One measurement in one fresh process, for `benchmarks/run.py` (not meant to be run by hand).

`run.py` starts `python benchmarks/driver.py SPEC_JSON` with the environment already pointing at
the moto server (`AWS_ENDPOINT_URL_DYNAMODB`, fake credentials, a region, the state table). The
driver puts the skill's code folder first on `sys.path`, loads the skill through its Lambda entry
(`lambda_function.lambda_handler` for dropday, `baseline_skill.lambda_handler` for the baseline),
runs one mode and prints one JSON object on its last stdout line.

Clocks: `time.monotonic()` is CLOCK_MONOTONIC on Linux, one clock for every process on the machine,
so the parent's reading just before it spawns this process and this process's readings can be
subtracted. `time.perf_counter()` times single requests; `time.process_time()` is this process's
CPU time (all its threads), which excludes the moto server (another process).
"""

import json
import os
import resource
import sys
import time

T_START = time.monotonic()  # the first line the interpreter runs after its own start-up and `site`
CPU_START = time.process_time()  # CPU time this process has used so far (CLOCK_PROCESS_CPUTIME_ID)

READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


def main() -> None:
    spec = json.loads(sys.argv[1])
    sys.path.insert(0, spec["code"])
    result = MODES[spec["mode"]](spec)
    result["max_rss_kb"] = peak_rss_kb()
    result["ru_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write("\n" + json.dumps(result) + "\n")


def peak_rss_kb() -> int:
    """This process's peak resident memory since it started running this interpreter.

    `VmHWM` from /proc/self/status, the high-water mark of the current address space. On Linux,
    `getrusage(RUSAGE_SELF).ru_maxrss` is carried over `execve` from the process that forked
    (or vforked) us, so in a child of the benchmark (which holds the moto server) it reports the
    parent's size; it is kept in the results as `ru_maxrss_kb` for reference only.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# -- loading a skill ------------------------------------------------------------------------------

def load_handler(skill: str):
    """The skill's Lambda handler, imported the way Lambda imports it."""
    if skill == "dropday":
        import lambda_function
        return lambda_function.lambda_handler
    import baseline_skill
    return baseline_skill.lambda_handler


def count_dynamodb_calls() -> dict:
    """Count DynamoDB operations at the botocore client, by operation name.

    Registered before the skill makes its client, on every client any botocore session makes from
    now on: the baseline's (`boto3.resource("dynamodb", ...)` makes one through boto3's session) and
    dropday's (`dropday.aws.make_dynamodb_client`, from a session of its own).
    """
    import botocore.session

    counts: dict[str, int] = {}

    def before_call(model, **_):
        counts[model.name] = counts.get(model.name, 0) + 1

    create_client = botocore.session.Session.create_client

    def counted_client(self, *args, **kwargs):
        client = create_client(self, *args, **kwargs)
        client.meta.events.register("before-call.dynamodb.*", before_call)
        return client

    botocore.session.Session.create_client = counted_client
    return counts


def ops_since(counts: dict, before: dict) -> dict:
    return {name: n - before.get(name, 0) for name, n in counts.items() if n - before.get(name, 0)}


def reads_writes(ops: dict) -> tuple[int, int]:
    return (sum(n for op, n in ops.items() if op in READS), sum(n for op, n in ops.items() if op in WRITES))


class Listener:
    """One listener on one device: builds envelopes and carries the session like a device."""

    def __init__(self, spec: dict, user_id: str, now=None, locale: str = "en-GB") -> None:
        from datetime import datetime

        from dropday.localdev import envelopes

        self.envelopes = envelopes
        self.user_id, self.device_id = user_id, user_id.replace("account", "device")
        self.now = now or datetime.fromisoformat(spec["now"])
        self.locale, self.api_endpoint = locale, spec["api_endpoint"]
        self.session_id, self.attributes = None, {}

    def event(self, body: dict) -> dict:
        new = self.session_id is None
        if new:
            self.session_id, self.attributes = self.envelopes.new_session_id(), {}
        return self.envelopes.envelope(body, user_id=self.user_id, device_id=self.device_id, locale=self.locale,
                                       now=self.now, session_id=self.session_id, new_session=new,
                                       attributes=self.attributes, api_endpoint=self.api_endpoint)

    def answered(self, body: dict, response: dict) -> None:
        self.attributes = dict(response.get("sessionAttributes") or {})
        if response.get("response", {}).get("shouldEndSession") is not False or \
                body["type"] == "SessionEndedRequest":
            self.close()

    def close(self) -> None:
        self.session_id, self.attributes = None, {}

    def tip(self) -> dict:
        return self.envelopes.intent("TipIntent")

    def launch(self) -> dict:
        """"Alexa, open ...": always a new session, as on a device."""
        self.close()
        return self.envelopes.launch()


def speech(response: dict) -> str:
    return response.get("response", {}).get("outputSpeech", {}).get("ssml", "")


def tip_finder(skill: str):
    """Two functions: from a tip response's SSML to the tip it played, and from stored attributes
    to the tips they record as heard, both as the skill's state records tips (None if no tip).

    dropday's state is read with its own `ListenerState.from_dict`, whatever its storage format;
    a tip is recorded by its `key` where `Tip` has one (short storage keys), else by its id.
    """
    import html
    import re
    if skill == "dropday":
        from dropday.app import MANIFEST, SETTINGS
        from dropday.core.listener import ListenerState

        def clip_key(path: str) -> str:  # where the clip is served under AUDIO_BASE_URL
            return MANIFEST.clip_key(path) if hasattr(MANIFEST, "clip_key") else f"{MANIFEST.campaign}/{path}"
        by_clip = {clip_key(p.recording.audio): p.key for p in MANIFEST.pieces if p.recording.audio}
        base = SETTINGS.audio_base_url.rstrip("/") + "/"
        pattern = re.compile(r'<audio src="([^"]+)"')

        def find(ssml: str):
            for src in pattern.findall(ssml):
                found = by_clip.get(html.unescape(src).removeprefix(base))
                if found:
                    return found
            return None

        def heard(attributes: dict | None) -> list:
            """Heard pieces in the order they were heard: each section's keys are oldest first (a
            tip request plays one section, so the order is the serving order); `heard` itself is
            the set of every section's."""
            state = ListenerState.from_dict(attributes or {})
            sections = getattr(state, "sections", None)
            if sections is None:
                return list(state.heard)
            return [key for progress in sections.values() for key in progress.heard]
        return find, heard
    import baseline_skill
    by_text = {text: tip_id for tip_id, text in baseline_skill.TIPS}

    def find(ssml: str):
        return by_text.get(ssml.removeprefix("<speak>").split(" Want another tip?")[0])

    def heard(attributes: dict | None) -> list:
        return list((attributes or {}).get("heard", []))
    return find, heard


def stored_item(table: "StateTable", user_id: str):
    return table.get_item(user_id)


def state_table() -> "StateTable":
    return StateTable(os.environ["AWS_ENDPOINT_URL_DYNAMODB"], os.environ["SKILL_STATE_TABLE"],
                      os.environ["AWS_REGION"])


class StateTable:
    """Reads stored items back with one plain HTTP call to the moto server, outside boto3.

    A second boto3 session in this process would load DynamoDB's service model again (megabytes)
    and its calls would land on the skill's counters; the benchmark's own reads must do neither.
    """

    def __init__(self, endpoint: str, table: str, region: str) -> None:
        from urllib.parse import urlsplit
        self.address, self.table, self.region = urlsplit(endpoint).netloc, table, region

    def get_item(self, user_id: str) -> dict | None:
        import http.client
        body = json.dumps({"TableName": self.table, "Key": {"id": {"S": user_id}}, "ConsistentRead": True})
        connection = http.client.HTTPConnection(self.address, timeout=10)
        try:
            connection.request("POST", "/", body=body, headers={
                "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.GetItem",
                "Authorization": f"AWS4-HMAC-SHA256 Credential=benchmark/20270108/{self.region}/dynamodb/"
                                 "aws4_request, SignedHeaders=host, Signature=0"})
            response = connection.getresponse()
            data = json.loads(response.read())
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"GetItem failed: {response.status} {data}")
        return {k: _untyped(v) for k, v in data["Item"].items()} if "Item" in data else None


def _untyped(value: dict):
    """A DynamoDB-JSON value (`{"S": "x"}`, `{"L": [...]}`...) as plain Python."""
    (kind, v), = value.items()
    if kind == "N":
        return int(v) if v.lstrip("-").isdigit() else float(v)
    if kind == "L":
        return [_untyped(x) for x in v]
    if kind == "M":
        return {k: _untyped(x) for k, x in v.items()}
    if kind == "NULL":
        return None
    return v  # S, BOOL, B (base64 text), SS/NS/BS (lists)


# -- modes ----------------------------------------------------------------------------------------

def mode_noop(spec: dict) -> dict:
    """An empty interpreter running this script: the floor under every cold start."""
    return {"t_start": T_START, "t_done": time.monotonic()}


def mode_cold(spec: dict) -> dict:
    """Import the skill's entry and answer one tip request (the cold start), then a second one."""
    with open(spec["events"], encoding="utf-8") as f:
        first, second = json.load(f)
    profiler = None
    if spec.get("profile"):
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    t_ready, cpu_ready = time.monotonic(), time.process_time()
    handler = load_handler(spec["skill"])
    t_imported, cpu_imported = time.monotonic(), time.process_time()
    response = handler(first, None)
    t_first, cpu_first = time.monotonic(), time.process_time()
    if profiler:
        profiler.disable()
        profiler.dump_stats(spec["profile"])
    second_response = handler(second, None)
    t_second = time.monotonic()
    ok = bool(speech(response)) and bool(speech(second_response))
    return {"t_start": T_START, "t_ready": t_ready, "t_imported": t_imported, "t_first": t_first,
            "t_second": t_second, "cpu_start": CPU_START, "cpu_ready": cpu_ready, "cpu_imported": cpu_imported,
            "cpu_first": cpu_first, "ok": ok, "speech": speech(response)[:200]}


def mode_warm(spec: dict) -> dict:
    """Tip requests of many listeners in one process; wall and CPU time of each request."""
    counts = count_dynamodb_calls()
    handler = load_handler(spec["skill"])
    listeners = [Listener(spec, f"amzn1.ask.account.{spec['prefix']}-{i:05d}") for i in range(spec["listeners"])]
    warmup = [Listener(spec, f"amzn1.ask.account.{spec['prefix']}-warmup-{i:03d}") for i in range(spec["warmup"])]
    for listener in warmup:
        body = listener.tip()
        listener.answered(body, handler(listener.event(body), None))
    profiler = None
    if spec.get("profile"):  # CPU time, not wall: the network wait on the moto server is not ours
        import cProfile
        profiler = cProfile.Profile(time.process_time)
    wall, cpu, reads, writes, failures = [], [], [], [], 0
    for _ in range(spec["tips_per_listener"]):
        for listener in listeners:
            body = listener.tip()
            event = listener.event(body)
            before = dict(counts)
            if profiler:
                profiler.enable()
            c0, t0 = time.process_time_ns(), time.perf_counter_ns()
            response = handler(event, None)
            t1, c1 = time.perf_counter_ns(), time.process_time_ns()
            if profiler:
                profiler.disable()
            wall.append((t1 - t0) / 1e6)
            cpu.append((c1 - c0) / 1e6)
            r, w = reads_writes(ops_since(counts, before))
            reads.append(r)
            writes.append(w)
            failures += "<audio" not in speech(response) and "tip" not in speech(response).lower()
            listener.answered(body, response)
    if profiler:
        profiler.dump_stats(spec["profile"])
    return {"wall_ms": wall, "cpu_ms": cpu, "reads": reads, "writes": writes, "failures": failures}


#: The conversation whose DynamoDB calls are counted: (label, request body builder, new listener?).
CALL_SCRIPT = [
    ("launch (first visit)", "launch"),
    ("tip", "TipIntent"),
    ("countdown (first today: time zone fetched and cached)", "CountdownIntent"),
    ("countdown (unchanged)", "CountdownIntent"),
    ("help", "AMAZON.HelpIntent"),
    ("stop", "AMAZON.StopIntent"),
    ("session end", "session_ended"),
    ("cancel (one-shot, new session)", "AMAZON.CancelIntent"),
    ("tip (one-shot, new session)", "TipIntent"),
    ("launch (returning)", "launch"),
    ("fallback", "AMAZON.FallbackIntent"),
]


def mode_calls(spec: dict) -> dict:
    """DynamoDB operations per request type, for one listener going through `CALL_SCRIPT`."""
    counts = count_dynamodb_calls()
    handler = load_handler(spec["skill"])
    listener = Listener(spec, f"amzn1.ask.account.{spec['prefix']}-calls")
    envelopes = listener.envelopes
    rows = []
    for label, kind in CALL_SCRIPT:
        body = listener.launch() if kind == "launch" else \
            envelopes.session_ended() if kind == "session_ended" else envelopes.intent(kind)
        event = listener.event(body)
        before = dict(counts)
        response = handler(event, None)
        ops = ops_since(counts, before)
        r, w = reads_writes(ops)
        rows.append({"request": label, "reads": r, "writes": w, "ops": ops, "speech": speech(response)[:120],
                     "ends_session": response.get("response", {}).get("shouldEndSession")})
        listener.answered(body, response)
        if kind == "TipIntent" and not ops:
            raise RuntimeError("a tip request made no DynamoDB call that the counter saw: the counter listens on "
                               "every client botocore's Session.create_client makes; if the skill now makes its "
                               "client some other way, register count_dynamodb_calls() there")
        if kind in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
            listener.session_id = "ended-" + str(len(rows))  # the device still sends SessionEndedRequest
    return {"rows": rows}


def item_sizes(item: dict | None) -> dict:
    """Sizes of a stored item: its JSON (compact, UTF-8) whole and of `attributes`, and DynamoDB's
    own size rule (attribute names plus values) as an estimate."""
    if not item:
        return {"item_json_bytes": 0, "attributes_json_bytes": 0, "dynamodb_item_bytes": 0}
    dump = lambda v: len(json.dumps(v, separators=(",", ":"), ensure_ascii=False).encode())  # noqa: E731
    return {"item_json_bytes": dump(item), "attributes_json_bytes": dump(item.get("attributes")),
            "dynamodb_item_bytes": sum(len(k.encode()) + _ddb_size(v) for k, v in item.items())}


def _ddb_size(value) -> int:
    """DynamoDB's documented item-size rule, roughly (numbers: about a byte per two digits)."""
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, bool) or value is None:
        return 1
    if isinstance(value, (int, float)):
        return 1 + (len(str(value).lstrip("-").replace(".", "")) + 1) // 2
    if isinstance(value, dict):
        return 3 + sum(len(k.encode()) + 1 + _ddb_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 3 + sum(1 + _ddb_size(v) for v in value)
    return len(str(value).encode())


def mode_long(spec: dict) -> dict:
    """One listener hearing thousands of tips over a long campaign: the stored item's size."""
    from datetime import timedelta

    handler = load_handler(spec["skill"])
    table = state_table()
    listener = Listener(spec, f"amzn1.ask.account.{spec['prefix']}-long")
    find, _ = tip_finder(spec["skill"])
    sizes, wall, cpu, unplayed = [], [], [], 0
    rotation = spec["rotation"]
    for i in range(1, spec["tips"] + 1):
        body = listener.tip()
        event = listener.event(body)
        c0, t0 = time.process_time_ns(), time.perf_counter_ns()
        response = handler(event, None)
        t1, c1 = time.perf_counter_ns(), time.process_time_ns()
        wall.append((t1 - t0) / 1e6)
        cpu.append((c1 - c0) / 1e6)
        unplayed += find(speech(response)) is None
        listener.answered(body, response)
        if i % spec["session_tips"] == 0:  # the listener leaves; they come back the next day
            listener.close()
            listener.now += timedelta(days=1)
        if i % 100 == 0 or i % rotation in (0, rotation - 1) or i == spec["tips"]:
            sizes.append({"tips_heard": i, **item_sizes(stored_item(table, listener.user_id))})
    return {"sizes": sizes, "wall_ms": wall, "cpu_ms": cpu, "unplayed": unplayed,
            "last_item": stored_item(table, listener.user_id)}


#: One session in the load run: what the listener says, in order.
LOAD_SESSION = ["launch", "TipIntent", "TipIntent", "CountdownIntent", "TipIntent", "AMAZON.HelpIntent",
                "AMAZON.StopIntent"]


def mode_load(spec: dict) -> dict:
    """Threads driving many listeners' sessions at once; then every stored item is checked."""
    import threading

    counts = count_dynamodb_calls()
    handler = load_handler(spec["skill"])
    find, heard_in = tip_finder(spec["skill"])
    threads, sessions = spec["threads"], spec["sessions"]
    listeners = [Listener(spec, f"amzn1.ask.account.{spec['prefix']}-load-{i:05d}")
                 for i in range(spec["listeners"])]
    envelopes = listeners[0].envelopes
    served: dict[str, list[str]] = {listener.user_id: [] for listener in listeners}
    latencies: list[list[tuple[str, float]]] = [[] for _ in range(threads)]
    errors: list[str] = []

    def drive(index: int) -> None:
        mine = listeners[index::threads]
        try:
            for _ in range(sessions):
                for kind in LOAD_SESSION:  # every listener of this thread takes this turn, then the next
                    for listener in mine:
                        body = listener.launch() if kind == "launch" else envelopes.intent(kind)
                        event = listener.event(body)
                        t0 = time.perf_counter()
                        response = handler(event, None)
                        latencies[index].append((kind, (time.perf_counter() - t0) * 1000))
                        if kind == "TipIntent":
                            tip_id = find(speech(response))
                            if tip_id is None:
                                errors.append(f"no tip played: {speech(response)[:120]}")
                            else:
                                served[listener.user_id].append(tip_id)
                        listener.answered(body, response)
        except Exception as exc:  # surfaced in the result, never silently
            errors.append(f"{type(exc).__name__}: {exc}")

    before = dict(counts)
    cpu0, t0 = time.process_time(), time.perf_counter()
    workers = [threading.Thread(target=drive, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    ops = ops_since(counts, before)
    table = state_table()
    lost, visits_off = [], 0
    for listener in listeners:
        item = stored_item(table, listener.user_id) or {}
        heard = heard_in(item.get("attributes"))
        if heard != served[listener.user_id]:
            lost.append({"listener": listener.user_id, "served": served[listener.user_id], "stored": heard})
        if spec["skill"] == "dropday" and int((item.get("attributes") or {}).get("visits", 0)) != sessions:
            visits_off += 1
    turns = sum(len(x) for x in latencies)
    contended = _contended(spec, handler, find, heard_in, table, counts)
    return {"turns": turns, "elapsed_s": elapsed, "cpu_s": cpu, "dynamodb_ops": ops,
            "reads_per_turn": reads_writes(ops)[0] / turns, "writes_per_turn": reads_writes(ops)[1] / turns,
            "latency_ms": [round(ms, 3) for xs in latencies for _, ms in xs],
            "tip_latency_ms": [round(ms, 3) for xs in latencies for kind, ms in xs if kind == "TipIntent"],
            "errors": errors[:20],
            "error_count": len(errors), "listeners": len(listeners),
            "tips_served": sum(len(v) for v in served.values()), "lost_listeners": len(lost),
            "lost_examples": lost[:3], "visits_mismatch": visits_off if spec["skill"] == "dropday" else None,
            "contended": contended}


def _contended(spec: dict, handler, find, heard_in, table, counts: dict) -> dict:
    """One listener on two devices at once (two threads asking for tips at the same moment):
    how many served tips are missing from the stored state afterwards (lost updates), and the
    DynamoDB calls this took."""
    import threading

    pairs, asks = spec["contended_listeners"], spec["contended_tips"]
    served: dict[str, list[str]] = {}
    lock = threading.Lock()

    def device(user_id: str, device_no: int, barrier: threading.Barrier) -> None:
        listener = Listener(spec, user_id)
        listener.device_id += f"-{device_no}"
        for _ in range(asks):
            barrier.wait()
            body = listener.tip()
            response = handler(listener.event(body), None)
            listener.close()  # one-shot requests: each opens and closes a session
            with lock:
                served.setdefault(user_id, []).append(find(speech(response)))

    lost = total = 0
    before = dict(counts)
    for n in range(pairs):
        user_id = f"amzn1.ask.account.{spec['prefix']}-contended-{n:04d}"
        barrier = threading.Barrier(2)
        workers = [threading.Thread(target=device, args=(user_id, d, barrier)) for d in (1, 2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        heard = set(heard_in((stored_item(table, user_id) or {}).get("attributes")))
        total += len(served[user_id])
        lost += sum(1 for t in set(served[user_id]) if t not in heard)
    ops = ops_since(counts, before)
    reads, writes = reads_writes(ops)
    return {"listeners": pairs, "tips_served": total, "tips_missing_from_state": lost, "dynamodb_ops": ops,
            "reads_per_request": reads / total if total else 0, "writes_per_request": writes / total if total else 0}


def _read_only(mapping: dict) -> "MappingProxyType":
    """A read-only view of `mapping` (how pickle rebuilds the manifest's `MappingProxyType`s)."""
    from types import MappingProxyType
    return MappingProxyType(mapping)


def mode_manifest(spec: dict) -> dict:
    """dropday's manifest loading: the scale campaign as packed (`<campaign>.manifest.json`, what
    the function reads at cold start: first, in this fresh process, then again), as YAML (what the
    tools read), the demo campaign, and where the YAML path's time goes."""
    import copyreg
    import pickle
    from types import MappingProxyType

    t0 = time.perf_counter()
    from dropday import content
    from dropday.core.campaign import parse_manifest
    import_ms = (time.perf_counter() - t0) * 1000

    def timed(fn, *args):
        t = time.perf_counter()
        value = fn(*args)
        return (time.perf_counter() - t) * 1000, value

    packed_first_ms, manifest = timed(content.read_manifest, spec["packed"])
    packed = [timed(content.read_manifest, spec["packed"])[0] for _ in range(spec["repeats"])]
    first_ms, _ = timed(content.read_manifest, spec["one"])
    one = [timed(content.read_manifest, spec["one"])[0] for _ in range(spec["repeats"])]
    demo = [timed(content.read_manifest, spec["demo"])[0] for _ in range(spec["repeats"])]
    import yaml
    with open(spec["one"], encoding="utf-8") as f:
        text = f.read()
    with open(spec["packed"], encoding="utf-8") as f:
        packed_text = f.read()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    yaml_ms = [timed(yaml.load, text, loader)[0] for _ in range(spec["repeats"])]
    data = json.loads(packed_text)
    json_ms = [timed(json.loads, packed_text)[0] for _ in range(spec["repeats"])]
    parse_ms = [timed(parse_manifest, data, spec["packed"])[0] for _ in range(spec["repeats"])]
    # The manifest's empty mappings are read-only `MappingProxyType`s, which pickle cannot take as they are.
    copyreg.pickle(MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))
    pickled = pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL)
    pickle_ms = [timed(pickle.loads, pickled)[0] for _ in range(spec["repeats"])]
    return {"import_content_ms": import_ms, "packed_first_ms": packed_first_ms, "packed_ms": packed,
            "first_one_ms": first_ms, "one_ms": one, "demo_ms": demo, "yaml_load_ms": yaml_ms,
            "json_loads_ms": json_ms, "parse_manifest_ms": parse_ms, "pickle_loads_manifest_ms": pickle_ms,
            "pieces": len(manifest.pieces), "yaml_bytes": len(text.encode()),
            "packed_bytes": len(packed_text.encode()), "csafeloader": loader.__name__ == "CSafeLoader"}


def mode_validate(spec: dict) -> dict:
    """`dropday validate` in this process: the import of the command, then `validate()` twice on the
    folder `spec["folder"]` (the first call pays the validator's own lazy set-up, the second shows
    the checks alone), each with the time spent in every step `validate` and a file's check run
    directly (the per-file checker's methods and the functions `dropday.tooling.validation` calls;
    nested calls are counted in their caller's step)."""
    from pathlib import Path

    t0, c0 = time.perf_counter(), time.process_time()
    from dropday.tooling import validation
    from dropday.tooling.findings import locate
    import_ms, import_cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    steps = _time_steps(validation)
    calls = []
    for _ in range(spec.get("repeats", 2)):
        steps.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        report = validation.validate(locate(Path(spec["folder"])))
        calls.append({"wall_ms": (time.perf_counter() - t0) * 1000, "cpu_ms": (time.process_time() - c0) * 1000,
                      "steps_ms": {k: round(v * 1000, 1) for k, v in sorted(steps.items(), key=lambda kv: -kv[1])}})
    return {"import_ms": import_ms, "import_cpu_ms": import_cpu_ms, "calls": calls, "ok": report.ok,
            "summary": report.summary()}


def _time_steps(validation) -> dict:
    """Wrap what `validation.validate` calls and what its per-file checker's `run` calls directly
    (the checker's methods, `validation`'s functions and those of the dropday modules it uses), so
    that the time of each such call is added up by name in the returned dict; deeper calls are
    counted in their caller's step."""
    import functools
    import inspect
    import types

    totals: dict[str, float] = {}
    stack: list[str] = []
    run_names: set[str] = set()

    def timed(name: str, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            counted = not stack or (len(stack) == 1 and stack[0] in run_names)
            stack.append(name)
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stack.pop()
                if counted:
                    totals[name] = totals.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    for checker in [c for c in vars(validation).values() if inspect.isclass(c) and
                    c.__module__ == validation.__name__ and inspect.isfunction(vars(c).get("run"))]:
        run_names.add(f"{checker.__name__}.run")
        for name, member in list(vars(checker).items()):
            if inspect.isfunction(member) and name != "__init__":
                setattr(checker, name, timed(f"{checker.__name__}.{name}", member))
    for name, value in list(vars(validation).items()):
        if name == "validate":
            continue
        if inspect.isfunction(value) and value.__module__.startswith("dropday"):
            setattr(validation, name, timed(name, value))
        elif isinstance(value, types.ModuleType) and value.__name__.startswith("dropday"):
            for attr, fn in list(vars(value).items()):
                if inspect.isfunction(fn) and fn.__module__ == value.__name__:
                    setattr(value, attr, timed(f"{name}.{attr}", fn))
    return totals


MODES = {"noop": mode_noop, "cold": mode_cold, "warm": mode_warm, "calls": mode_calls, "long": mode_long,
         "load": mode_load, "manifest": mode_manifest, "validate": mode_validate}

if __name__ == "__main__":
    main()
