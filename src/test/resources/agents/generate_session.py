import json, random, hashlib, base64, uuid
random.seed(20251204)
SONNET = "claude-sonnet-4-5-20250929"
HAIKU = "claude-haiku-4-5-20251001"
USER_ID = "user_" + hashlib.sha256(b"dev@example.com").hexdigest() + "_account_3f6c2a1e-8b7d-4c55-9e0a-2d1f6b7c8e90_session_a1b2c3d4-e5f6-4789-abcd-0123456789ab"

def sig():
    return base64.b64encode(bytes(random.getrandbits(8) for _ in range(random.randint(180, 260)))).decode()
def tid():
    return "toolu_01" + "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(22))
def mid():
    return "msg_01" + "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(22))

S = "http://json-schema.org/draft-07/schema#"
def schema(props, req):
    return {"type": "object", "properties": props, "required": req, "additionalProperties": False, "$schema": S}
TOOLS = [
 {"name": "Task", "description": "Launch a new agent to handle complex, multi-step tasks autonomously.\n\nAvailable agent types and the tools they have access to:\n- general-purpose: General-purpose agent for researching complex questions (Tools: *)",
  "input_schema": schema({"description": {"type": "string", "description": "A short (3-5 word) description of the task"}, "prompt": {"type": "string", "description": "The task for the agent to perform"}, "subagent_type": {"type": "string", "description": "The type of specialized agent to use for this task"}}, ["description", "prompt", "subagent_type"])},
 {"name": "Bash", "description": "Executes a given bash command in a persistent shell session with optional timeout, ensuring proper handling and security measures.\n\nIMPORTANT: This tool is for terminal operations like git, npm, docker, etc. DO NOT use it for file operations (reading, writing, editing, searching, finding files) - use the specialized tools for this instead.",
  "input_schema": schema({"command": {"type": "string", "description": "The command to execute"}, "timeout": {"type": "number", "description": "Optional timeout in milliseconds (max 600000)"}, "description": {"type": "string", "description": "Clear, concise description of what this command does in 5-10 words, in active voice."}, "run_in_background": {"type": "boolean", "description": "Set to true to run this command in the background."}}, ["command"])},
 {"name": "Glob", "description": "- Fast file pattern matching tool that works with any codebase size\n- Supports glob patterns like \"**/*.js\" or \"src/**/*.ts\"",
  "input_schema": schema({"pattern": {"type": "string", "description": "The glob pattern to match files against"}, "path": {"type": "string", "description": "The directory to search in."}}, ["pattern"])},
 {"name": "Grep", "description": "A powerful search tool built on ripgrep\n\n  Usage:\n  - ALWAYS use Grep for search tasks. NEVER invoke `grep` or `rg` as a Bash command.",
  "input_schema": schema({"pattern": {"type": "string", "description": "The regular expression pattern to search for in file contents"}, "path": {"type": "string"}, "glob": {"type": "string"}, "output_mode": {"type": "string", "enum": ["content", "files_with_matches", "count"]}, "-n": {"type": "boolean"}, "-i": {"type": "boolean"}, "-C": {"type": "number"}}, ["pattern"])},
 {"name": "Read", "description": "Reads a file from the local filesystem. You can access any file directly by using this tool.",
  "input_schema": schema({"file_path": {"type": "string", "description": "The absolute path to the file to read"}, "offset": {"type": "number"}, "limit": {"type": "number"}}, ["file_path"])},
 {"name": "Edit", "description": "Performs exact string replacements in files. \n\nUsage:\n- You must use your `Read` tool at least once in the conversation before editing.",
  "input_schema": schema({"file_path": {"type": "string", "description": "The absolute path to the file to modify"}, "old_string": {"type": "string", "description": "The text to replace"}, "new_string": {"type": "string", "description": "The text to replace it with (must be different from old_string)"}, "replace_all": {"type": "boolean", "default": False}}, ["file_path", "old_string", "new_string"])},
 {"name": "Write", "description": "Writes a file to the local filesystem.",
  "input_schema": schema({"file_path": {"type": "string"}, "content": {"type": "string"}}, ["file_path", "content"])},
 {"name": "TodoWrite", "description": "Use this tool to create and manage a structured task list for your current coding session.",
  "input_schema": schema({"todos": {"type": "array", "items": {"type": "object", "properties": {"content": {"type": "string", "minLength": 1}, "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]}, "activeForm": {"type": "string", "minLength": 1}}, "required": ["content", "status", "activeForm"], "additionalProperties": False}}}, ["todos"])},
 {"name": "WebFetch", "description": "- Fetches content from a specified URL and processes it using an AI model", 
  "input_schema": schema({"url": {"type": "string", "format": "uri"}, "prompt": {"type": "string"}}, ["url", "prompt"])},
]
SYSTEM = [
 {"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude.", "cache_control": {"type": "ephemeral"}},
 {"type": "text", "text": "\nYou are an interactive CLI tool that helps users with software engineering tasks. Use the instructions below and the tools available to you to assist the user.\n\nIMPORTANT: Assist with defensive security tasks only.\n\n# Tone and style\nYou should be concise, direct, and to the point.\n\n# Doing tasks\n- Use the TodoWrite tool to plan the task if required\n- Use the available search tools to understand the codebase\n\n<env>\nWorking directory: /home/dev/parser\nIs directory a git repo: Yes\nPlatform: linux\nToday's date: 2026-12-04\n</env>\nYou are powered by the model named Sonnet 4.5. The exact model ID is claude-sonnet-4-5-20250929.\n\ngitStatus: Current branch: fix/escape\n\nStatus:\nM src/lexer.ts\n\nRecent commits:\n9c1e2f0 Lexer: tokens carry their source span\n", "cache_control": {"type": "ephemeral"}},
]

def sse(ev, data):
    return "event: " + ev + "\ndata: " + json.dumps(data, separators=(",", ":"), ensure_ascii=False)

def pieces(s, n):
    # split s into n roughly equal pieces (no empty except possibly the first, as Anthropic does)
    k = max(1, len(s) // n)
    return [s[i:i + k] for i in range(0, len(s), k)]

def answer(model, blocks, stop, usage, full_delta_usage):
    """blocks: list of dicts (thinking/text/tool_use). Returns (sse events, content for history)."""
    ev = []
    m = {"id": mid(), "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": None, "stop_sequence": None,
         "usage": {"input_tokens": usage["in"], "cache_creation_input_tokens": usage["cw"], "cache_read_input_tokens": usage["cr"],
                   "cache_creation": {"ephemeral_5m_input_tokens": usage["cw"], "ephemeral_1h_input_tokens": 0},
                   "output_tokens": 1, "service_tier": "standard"}}
    ev.append(sse("message_start", {"type": "message_start", "message": m}))
    ev.append(sse("ping", {"type": "ping"}))
    for i, b in enumerate(blocks):
        if b["type"] == "thinking":
            ev.append(sse("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "thinking", "thinking": "", "signature": ""}}))
            for p in pieces(b["thinking"], 4):
                ev.append(sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "thinking_delta", "thinking": p}}))
            ev.append(sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "signature_delta", "signature": b["signature"]}}))
        elif b["type"] == "text":
            ev.append(sse("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}}))
            for p in pieces(b["text"], 3):
                ev.append(sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": p}}))
        else:
            ev.append(sse("content_block_start", {"type": "content_block_start", "index": i, "content_block": {"type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}}))
            js = json.dumps(b["input"], separators=(",", ":"), ensure_ascii=False)
            ev.append(sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": ""}}))
            for p in pieces(js, 3):
                ev.append(sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": p}}))
        ev.append(sse("content_block_stop", {"type": "content_block_stop", "index": i}))
    du = {"output_tokens": usage["out"]}
    if full_delta_usage:  # newer streams repeat the cumulative input and cache counts
        du = {"input_tokens": usage["in"], "cache_creation_input_tokens": usage["cw"], "cache_read_input_tokens": usage["cr"], "output_tokens": usage["out"]}
    ev.append(sse("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": du}))
    ev.append(sse("message_stop", {"type": "message_stop"}))
    return ev

def tool_result(id_, text, is_error=False):
    r = {"tool_use_id": id_, "type": "tool_result", "content": text}
    if is_error: r["is_error"] = True
    return r

FILE_LEXER = "\n".join("    %d\u2192%s" % (i + 1, l) for i, l in enumerate(
    ["export function readString(src: string, at: number): Token {", "  let i = at + 1;", "  let out = '';", "  while (i < src.length && src[i] !== '\"') {",
     "    if (src[i] === '\\\\') { out += src[i + 1]; i += 2; continue; }", "    out += src[i++];", "  }", "  return { kind: 'string', value: out, span: [at, i + 1] };", "}"] * 6))
FILE_TEST = "\n".join("    %d\u2192%s" % (i + 1, l) for i, l in enumerate(
    ["import { readString } from '../src/lexer';", "describe('readString', () => {", "  it('decodes \\\\n as a newline', () => {", "    expect(readString('\"a\\\\nb\"', 0).value).toBe('a\\nb');", "  });", "});"] * 5))

# a scripted session: (model, user_turn_blocks or None, assistant blocks builder, tool results)
session_tool_steps = [
 # (thinking, text, [tool calls], results for each tool call)
 ("The user reports the escape test fails. Let me find where strings are lexed \u2014 search for readString.", "I'll look for the string lexer first.", [("Grep", {"pattern": "readString", "path": "/home/dev/parser", "output_mode": "files_with_matches"})], ["Found 2 files\n/home/dev/parser/src/lexer.ts\n/home/dev/parser/test/lexer.test.ts"]),
 ("Two files. Read both in parallel.", None, [("Read", {"file_path": "/home/dev/parser/src/lexer.ts"}), ("Read", {"file_path": "/home/dev/parser/test/lexer.test.ts"})], [FILE_LEXER, FILE_TEST]),
 ("The lexer copies the escaped char verbatim: '\\n' becomes 'n'. Plan the fix with a todo list.", "The escape handling copies the character after the backslash verbatim. Let me track the work.", [("TodoWrite", {"todos": [{"content": "Decode escape sequences in readString", "status": "in_progress", "activeForm": "Decoding escape sequences"}, {"content": "Run the lexer tests", "status": "pending", "activeForm": "Running the lexer tests"}]})], ["Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress."]),
 ("Run the failing test first to see the exact message.", None, [("Bash", {"command": "npx jest test/lexer.test.ts 2>&1 | tail -20", "description": "Run the lexer tests"})], ["FAIL test/lexer.test.ts\n  readString\n    \u2715 decodes \\n as a newline (4 ms)\n\n  \u25cf readString \u203a decodes \\n as a newline\n\n    expect(received).toBe(expected) // Object.is equality\n\n    Expected: \"a\\nb\"\n    Received: \"anb\"\n\nTests:       1 failed, 1 total"]),
 ("Confirmed. Check whether other escapes exist elsewhere (unicode escapes?).", None, [("Grep", {"pattern": "\\\\\\\\u", "path": "/home/dev/parser/src", "output_mode": "content", "-n": True}), ("Glob", {"pattern": "src/**/*.ts"})], ["No matches found", "/home/dev/parser/src/lexer.ts\n/home/dev/parser/src/parser.ts\n/home/dev/parser/src/index.ts"]),
 ("Add an ESCAPES table and use it.", "I'll decode the standard escapes with a lookup table.", [("Edit", {"file_path": "/home/dev/parser/src/lexer.ts", "old_string": "    if (src[i] === '\\\\') { out += src[i + 1]; i += 2; continue; }", "new_string": "    if (src[i] === '\\\\') { out += ESCAPES[src[i + 1]] ?? src[i + 1]; i += 2; continue; }"})], ["The file /home/dev/parser/src/lexer.ts has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n     4\u2192  while (i < src.length && src[i] !== '\"') {\n     5\u2192    if (src[i] === '\\\\') { out += ESCAPES[src[i + 1]] ?? src[i + 1]; i += 2; continue; }"]),
 ("Now define ESCAPES at the top of the file.", None, [("Edit", {"file_path": "/home/dev/parser/src/lexer.ts", "old_string": "export function readString(", "new_string": "const ESCAPES: Record<string, string> = { n: '\\n', t: '\\t', r: '\\r', '\"': '\"', '\\\\': '\\\\' };\n\nexport function readString("})], ["The file /home/dev/parser/src/lexer.ts has been updated."]),
 ("Does the parser rely on the raw escape anywhere? Read it.", None, [("Read", {"file_path": "/home/dev/parser/src/parser.ts", "offset": 1, "limit": 80})], ["\n".join("    %d\u2192%s" % (i + 1, l) for i, l in enumerate(["import { readString, Token } from './lexer';", "export function parseValue(tokens: Token[], i: number) {", "  const t = tokens[i];", "  if (t.kind === 'string') return { type: 'Str', value: t.value, span: t.span };", "  throw new SyntaxError(`unexpected ${t.kind} at ${t.span[0]}`);", "}"] * 8))]),
 ("Also check the docs mention escapes, and look for other callers, in parallel.", None, [("Grep", {"pattern": "escape", "path": "/home/dev/parser", "glob": "*.md", "-i": True, "output_mode": "content"}), ("Grep", {"pattern": "\\.value\\b", "path": "/home/dev/parser/src", "output_mode": "count"})], ["/home/dev/parser/README.md:41:Strings support the usual escapes (\\n, \\t, \\\\).", "src/parser.ts:1\nsrc/index.ts:2"]),
 ("Let a subagent double-check the JSON spec escapes while I continue.", None, [("Task", {"description": "Check JSON escape list", "prompt": "List every escape sequence a JSON string may contain per RFC 8259, one per line, nothing else.", "subagent_type": "general-purpose"})], ["\\\"\n\\\\\n\\/\n\\b\n\\f\n\\n\n\\r\n\\t\n\\uXXXX"]),
 ("The README promises the usual escapes; the table covers them except \\/ \u2014 add it.", None, [("Edit", {"file_path": "/home/dev/parser/src/lexer.ts", "old_string": "'\\\\': '\\\\' };", "new_string": "'\\\\': '\\\\', '/': '/' };"})], ["The file /home/dev/parser/src/lexer.ts has been updated."]),
 ("Run the tests again.", None, [("Bash", {"command": "npx jest test/lexer.test.ts 2>&1 | tail -8", "description": "Run the lexer tests again"})], ["PASS test/lexer.test.ts\n  readString\n    \u2713 decodes \\n as a newline (2 ms)\n\nTests:       1 passed, 1 total"]),
 ("Passing. Add tests for \\t and an unknown escape, then the full suite and type check in parallel.", "The fix works. I'll add cases for tab and unknown escapes.", [("Edit", {"file_path": "/home/dev/parser/test/lexer.test.ts", "old_string": "  });\n});", "new_string": "  });\n  it('decodes \\\\t and keeps unknown escapes', () => {\n    expect(readString('\"a\\\\tb\\\\q\"', 0).value).toBe('a\\tbq');\n  });\n});"})], ["The file /home/dev/parser/test/lexer.test.ts has been updated."]),
 ("Run the whole suite and tsc in parallel.", None, [("Bash", {"command": "npx jest 2>&1 | tail -5", "description": "Run the full test suite"}), ("Bash", {"command": "npx tsc --noEmit", "description": "Type-check the project"})], ["Test Suites: 4 passed, 4 total\nTests:       37 passed, 37 total\nSnapshots:   0 total\nTime:        2.118 s", ""]),
 ("All green. Update the todos.", None, [("TodoWrite", {"todos": [{"content": "Decode escape sequences in readString", "status": "completed", "activeForm": "Decoding escape sequences"}, {"content": "Run the lexer tests", "status": "completed", "activeForm": "Running the lexer tests"}]})], ["Todos have been modified successfully."]),
 ("Show the diff to the user.", None, [("Bash", {"command": "git diff --stat", "description": "Show the changed files"})], [" src/lexer.ts           | 4 +++-\n test/lexer.test.ts     | 3 +++\n 2 files changed, 6 insertions(+), 1 deletion(-)"]),
]

turns = []
messages = []
def user_text(t):
    return {"role": "user", "content": [{"type": "text", "text": t}]}

def req(model, msgs, system, tools, max_tokens, thinking):
    body = {"model": model, "messages": msgs}
    if system is not None: body["system"] = system
    if tools is not None: body["tools"] = tools
    body["metadata"] = {"user_id": USER_ID}
    body["max_tokens"] = max_tokens
    if thinking: body["thinking"] = {"type": "enabled", "budget_tokens": 31999}
    body["stream"] = True
    return body

def with_cache_on_last(msgs):
    # Claude Code marks the last block of the last message as the cache breakpoint; earlier marks are dropped
    out = json.loads(json.dumps(msgs))
    for m in out:
        for b in m["content"]:
            b.pop("cache_control", None)
    out[-1]["content"][-1]["cache_control"] = {"type": "ephemeral"}
    return out

cache_prefix = 14210  # system + tools, written once
prev_total = 0
def usage_for(turn_index, body_tokens, out):
    global prev_total
    if prev_total == 0:
        u = {"in": 4, "cw": body_tokens - 4, "cr": 0, "out": out}
    else:
        u = {"in": 6, "cw": body_tokens - prev_total - 6, "cr": prev_total, "out": out}
    prev_total = body_tokens
    return u

# 0: a haiku call: Claude Code's topic detection for the terminal title (no tools, no thinking)
first = "The test `decodes \\n as a newline` in test/lexer.test.ts fails. Find out why and fix it."
hb = req(HAIKU, [user_text(first)], [{"type": "text", "text": "Analyze if this message indicates a new conversation topic. If it does, extract a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: 'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false). Only include these fields, no other text."}], None, 512, False)
hblocks = [{"type": "text", "text": "{\"isNewTopic\": true, \"title\": \"Lexer escape fix\"}"}]
turns.append({"request": hb, "sse": answer(HAIKU, hblocks, "end_turn", {"in": 187, "cw": 0, "cr": 0, "out": 19}, False), "content": hblocks})

messages.append({"role": "user", "content": [{"type": "text", "text": "<system-reminder>\nAs you answer the user's questions, you can use the following context:\n# claudeMd\nCodebase and user instructions are shown below.\n\nContents of /home/dev/parser/CLAUDE.md:\n\nUse jest. Keep the lexer allocation-free.\n</system-reminder>\n"}, {"type": "text", "text": first}]})
tokens = cache_prefix
for k, (th, tx, calls, results) in enumerate(session_tool_steps):
    blocks = [{"type": "thinking", "thinking": th, "signature": sig()}]
    if tx: blocks.append({"type": "text", "text": tx})
    ids = []
    for name, inp in calls:
        i = tid(); ids.append(i)
        blocks.append({"type": "tool_use", "id": i, "name": name, "input": inp})
    body = req(SONNET, with_cache_on_last(messages), SYSTEM, TOOLS, 32000, True)
    tokens += 40 + len(json.dumps(messages[-1])) // 4
    out = 60 + 25 * len(calls) + len(th) // 4 + (len(tx) // 4 if tx else 0)
    turns.append({"request": body, "sse": answer(SONNET, blocks, "tool_use", usage_for(k, tokens, out), k % 2 == 1), "content": blocks})
    messages.append({"role": "assistant", "content": blocks})
    messages.append({"role": "user", "content": [tool_result(i, r) for i, r in zip(ids, results)]})
    if k == 3:
        # a second haiku call mid-session, as Claude Code makes for a bash command's prefix policy check
        pb = req(HAIKU, [user_text("<policy_spec>Extract the command prefix.</policy_spec>\nCommand: npx jest test/lexer.test.ts 2>&1 | tail -20")], [{"type": "text", "text": "Your task is to process Bash commands that an AI coding agent wants to run."}], None, 512, False)
        pblocks = [{"type": "text", "text": "npx jest"}]
        turns.append({"request": pb, "sse": answer(HAIKU, pblocks, "end_turn", {"in": 342, "cw": 0, "cr": 0, "out": 6}, True), "content": pblocks})

# the final answer: thinking + text, end_turn
blocks = [{"type": "thinking", "thinking": "Summarise the change for the user.", "signature": sig()},
          {"type": "text", "text": "Fixed. `readString` copied the character after a backslash verbatim, so `\\n` became `n`. It now decodes `\\n`, `\\t`, `\\r`, `\\\"` and `\\\\` through an `ESCAPES` table (unknown escapes keep the character), and a test covers tab and unknown escapes. All 37 tests pass and `tsc` is clean."}]
body = req(SONNET, with_cache_on_last(messages), SYSTEM, TOOLS, 32000, True)
tokens += 40 + len(json.dumps(messages[-1])) // 4
turns.append({"request": body, "sse": answer(SONNET, blocks, "end_turn", usage_for(99, tokens, 143), True), "content": blocks})
# 20th: the user's follow-up turn
messages.append({"role": "assistant", "content": blocks})
messages.append({"role": "user", "content": [{"type": "text", "text": "Thanks. Commit it with a short message."}]})
blocks2 = [{"type": "thinking", "thinking": "Commit the two files with a message saying why.", "signature": sig()},
           {"type": "tool_use", "id": tid(), "name": "Bash", "input": {"command": "git add src/lexer.ts test/lexer.test.ts && git commit -m \"Lexer: decode escape sequences in strings instead of copying the escaped character\"", "description": "Commit the fix"}}]
body = req(SONNET, with_cache_on_last(messages), SYSTEM, TOOLS, 32000, True)
tokens += 40 + len(json.dumps(messages[-1])) // 4
turns.append({"request": body, "sse": answer(SONNET, blocks2, "tool_use", usage_for(100, tokens, 88), False), "content": blocks2})

session = {
  "comment": "A Claude Code session (fix a failing lexer test) as the CLI sends it: each turn's request body and the upstream's SSE answer (events without the blank line). 'content' is the answer's content blocks as the next request carries them back. Written by generate_session.py (seeded: it writes this file again byte for byte).",
  "headers": {"anthropic-version": "2023-06-01", "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14", "x-app": "cli"},
  "userId": USER_ID,
  "turns": turns,
}
print(len(turns))
with open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "claude-code-session.json"), "w") as f:
    json.dump(session, f, ensure_ascii=False, separators=(",", ":"))
