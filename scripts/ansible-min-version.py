#!/usr/bin/env python3
"""The oldest ansible-core the roles can run on, read from the roles themselves.

For every task in ansible/ (and the test plays given as extra arguments), takes
the ansible.builtin module and the options it is called with, and looks up
`version_added` of the module and of each option in the installed
ansible-core's own module documentation. Prints the highest one, then one line
per module/option that needs more than 2.9, so the reason is visible.
Used by test/integration/vagrant-files.test.ts to keep hoplab's preflight
minimum (src/providers/vagrant/defaults.json) equal to what the roles need.
"""
import glob
import importlib
import os
import sys

import yaml
from ansible.parsing.plugin_docs import read_docstring  # type: ignore

TASK_KEYS = {"name", "when", "register", "loop", "loop_control", "notify", "changed_when", "failed_when",
             "environment", "args", "become", "check_mode", "tags", "until", "retries", "delay", "listen",
             "ignore_errors", "no_log", "vars", "delegate_to", "run_once", "block", "rescue", "always",
             "include_tasks", "import_tasks", "include_role", "import_role", "with_items", "timeout"}
BUILTIN = "ansible.builtin."


def version_key(v):
    return tuple(int(x) for x in str(v).split(".") if x.isdigit())


def docs_for(module):
    mod = importlib.import_module(f"ansible.modules.{module}")
    return read_docstring(mod.__file__)["doc"] or {}


def walk(tasks):
    for t in tasks or []:
        if not isinstance(t, dict):
            continue
        for k in ("block", "rescue", "always"):
            yield from walk(t.get(k))
        for key, value in t.items():
            if key in TASK_KEYS:
                continue
            name = key[len(BUILTIN):] if key.startswith(BUILTIN) else key
            opts = dict(value) if isinstance(value, dict) else {}
            opts.update(t.get("args") or {})
            yield name, sorted(opts)


def main():
    files = glob.glob(os.path.join(sys.argv[1], "roles/*/tasks/*.yml")) + glob.glob(os.path.join(sys.argv[1], "roles/*/handlers/*.yml"))
    files += sys.argv[2:]
    needs = []
    for f in sorted(files):
        with open(f) as fh:
            data = yaml.safe_load(fh)
        if isinstance(data, list) and data and "hosts" in data[0]:
            data = [t for play in data for t in (play.get("tasks") or [])]
        for module, opts in walk(data):
            try:
                doc = docs_for(module)
            except ModuleNotFoundError:
                continue  # meta, set_fact-like actions without a module file are old
            v = doc.get("version_added", "historical")
            if v not in ("historical", None):
                needs.append((str(v), f"{module}", f))
            for o in opts:
                spec = (doc.get("options") or {}).get(o) or {}
                ov = spec.get("version_added")
                if ov and spec.get("version_added_collection", "ansible.builtin") == "ansible.builtin":
                    needs.append((str(ov), f"{module}: {o}", f))
    needs.sort(key=lambda n: version_key(n[0]))
    print(needs[-1][0] if needs else "2.9")
    for v, what, f in needs:
        if version_key(v) > (2, 9):
            print(f"{v}\t{what}\t{os.path.relpath(f)}")


main()
