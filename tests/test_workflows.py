"""Guard rails for CI: the GitHub workflow, .ci/run, scripts/install-chromium,
scripts/install-node-packages and the issue/PR templates.

These parse the files and assert the properties that matter for safety and for the
maintainers' workflow, so a careless edit (an unpinned action, a write permission on
the wrong job, a deploy that no longer waits for the tests) fails `make test` locally
instead of surfacing on GitHub.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
CI_WORKFLOW = GITHUB / "workflows" / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"
INSTALL_CHROMIUM = ROOT / "scripts" / "install-chromium"
INSTALL_NODE_PACKAGES = ROOT / "scripts" / "install-node-packages"
ISSUE_TEMPLATES = GITHUB / "ISSUE_TEMPLATE"

# A full commit SHA: a tag, even an exact one like v1.2.3, can be moved to other code.
PINNED_REF = re.compile(r"^[0-9a-f]{40}$")
# ... with the release it is, for people and Dependabot: `uses: owner/repo@<sha> # v1.2.3`.
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+\.\d+\.\d+\s*$")
WRITE_SCOPES = {"pages", "id-token"}


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def triggers(workflow: dict) -> dict:
    """The `on:` block. YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True."""
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "workflow has no `on:` block"
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on


def workflows() -> list[Path]:
    found = sorted((GITHUB / "workflows").glob("*.y*ml"))
    assert found, "no workflow files found"
    return found


def steps_of(job: dict) -> list[dict]:
    return job.get("steps") or []


def condition(expr: object) -> str:
    """Normalise an `if:` expression: drop ${{ }}, whitespace and quote style."""
    text = str(expr or "").strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    return re.sub(r"\s+", "", text).replace('"', "'")


PUSH_TO_MAIN = {"github.event_name=='push'", "github.ref=='refs/heads/main'"}


def is_push_to_main(expr: object) -> bool:
    cond = condition(expr)
    return "||" not in cond and set(cond.split("&&")) == PUSH_TO_MAIN


@pytest.fixture(scope="module")
def ci() -> dict:
    return load(CI_WORKFLOW)


@pytest.fixture(scope="module")
def check_job(ci: dict) -> dict:
    return ci["jobs"]["check"]


def uses_steps(job: dict, action: str) -> list[dict]:
    return [s for s in steps_of(job) if str(s.get("uses", "")).split("@")[0] == action]


# --- triggers ---------------------------------------------------------------------------


def test_triggers_are_pull_request_push_to_main_and_manual(ci: dict) -> None:
    on = triggers(ci)
    assert "pull_request" in on
    assert "workflow_dispatch" in on
    assert "push" in on and on["push"], "push must be limited to branches"
    assert on["push"].get("branches") == ["main"]


def test_no_pull_request_target_anywhere() -> None:
    # pull_request_target runs with a write token and secrets on fork PRs: never use it.
    for path in workflows():
        assert "pull_request_target" not in triggers(load(path)), path
    for path in GITHUB.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "pull_request_target" not in text, f"{path} mentions pull_request_target"


def test_concurrency_is_per_ref(ci: dict) -> None:
    assert "github.ref" in str(ci.get("concurrency", {}).get("group", ""))


# --- permissions ------------------------------------------------------------------------


def test_top_level_permissions_are_read_only(ci: dict) -> None:
    assert ci.get("permissions") == {"contents": "read"}
    for path in workflows():
        perms = load(path).get("permissions")
        assert isinstance(perms, dict), f"{path}: set explicit top-level permissions"
        assert set(perms.values()) <= {"read", "none"}, f"{path}: {perms}"


def test_only_deploy_job_can_write_pages_or_mint_id_tokens() -> None:
    for path in workflows():
        for name, job in load(path)["jobs"].items():
            perms = job.get("permissions", {})
            assert perms not in ("write-all", "read-all"), f"{path}:{name}: {perms}"
            writes = {scope for scope, level in perms.items() if level == "write"}
            if path == CI_WORKFLOW and name == "deploy":
                assert writes == WRITE_SCOPES, writes
            else:
                assert not writes, f"{path}:{name} must not have write permissions: {writes}"


def test_deploy_permissions_are_exactly_pages_and_id_token(ci: dict) -> None:
    assert ci["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


# --- deploy -----------------------------------------------------------------------------


def test_deploy_needs_check_and_runs_only_on_push_to_main(ci: dict) -> None:
    deploy = ci["jobs"]["deploy"]
    needs = deploy.get("needs")
    assert needs == "check" or (isinstance(needs, list) and "check" in needs)
    assert is_push_to_main(deploy.get("if")), deploy.get("if")
    # `always()` / `!cancelled()` would let a failed check through.
    assert "always()" not in condition(deploy.get("if"))
    assert "cancelled()" not in condition(deploy.get("if"))


def test_deploy_uses_the_official_pages_flow(ci: dict) -> None:
    deploy = ci["jobs"]["deploy"]
    env = deploy["environment"]
    assert env["name"] == "github-pages"
    assert "steps.deployment.outputs.page_url" in env["url"]
    assert uses_steps(deploy, "actions/configure-pages")
    (step,) = uses_steps(deploy, "actions/deploy-pages")
    assert step.get("id") == "deployment"


def test_pages_artifact_is_uploaded_only_on_push_to_main(check_job: dict) -> None:
    (step,) = uses_steps(check_job, "actions/upload-pages-artifact")
    assert is_push_to_main(step.get("if")), step.get("if")
    assert step["with"]["path"].rstrip("/") == "site"


def test_only_deploy_has_an_environment(ci: dict) -> None:
    assert [n for n, job in ci["jobs"].items() if "environment" in job] == ["deploy"]


# --- pinning ----------------------------------------------------------------------------


def all_uses() -> list[tuple[Path, str]]:
    found = []
    for path in workflows():
        for job in load(path)["jobs"].values():
            if "uses" in job:  # a reusable workflow call
                found.append((path, str(job["uses"])))
            found += [(path, str(s["uses"])) for s in steps_of(job) if "uses" in s]
    return found


def test_every_action_is_pinned_to_a_commit_sha() -> None:
    uses = all_uses()
    assert uses
    for path, ref in uses:
        if ref.startswith("./"):
            continue  # local action: versioned with this repository
        if ref.startswith("docker://"):
            assert "@sha256:" in ref, f"{path}: unpinned image {ref}"
            continue
        action, _, version = ref.partition("@")
        assert action and PINNED_REF.match(version), f"{path}: `{ref}` must be pinned to a 40-hex commit SHA"


def test_every_sha_pin_names_its_release_in_a_comment() -> None:
    for path in workflows():
        lines = [m for m in map(USES_LINE.match, path.read_text(encoding="utf-8").splitlines()) if m]
        assert lines, path
        for match in lines:
            if match["ref"].startswith(("./", "docker://")):
                continue
            assert VERSION_COMMENT.match(match["comment"]), f"{path}: `{match[0].strip()}` needs `# vX.Y.Z`"


def test_pin_checks_reject_tags_and_accept_sha_with_comment() -> None:
    assert not PINNED_REF.match("v6.0.2") and not PINNED_REF.match("main") and not PINNED_REF.match("de0fac2")
    assert PINNED_REF.match("de0fac2e4500dabe0009e67214ff5f5447ce83dd")
    good = USES_LINE.match("        uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2")
    assert good and VERSION_COMMENT.match(good["comment"])
    bare = USES_LINE.match("      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd")
    assert bare and not VERSION_COMMENT.match(bare["comment"])


def test_zizmor_finds_nothing_at_medium_severity_or_above() -> None:
    """zizmor (pinned in requirements.in) audits the workflows and dependabot.yml, offline."""
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert zizmor, "zizmor is not installed in this environment (requirements.txt pins it)"
    done = subprocess.run([zizmor, "--offline", "--format", "json", "--no-exit-codes", str(GITHUB)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)
    serious = [f"{f['ident']} ({f['determinations']['severity']}): {f['desc']}" for f in findings
               if f["determinations"]["severity"] not in ("Informational", "Low", "Unknown")]
    assert not serious, "\n".join(serious)


def test_workflow_says_why_versions_are_pinned() -> None:
    text = CI_WORKFLOW.read_text(encoding="utf-8").lower()
    assert "pinned" in text and "dependabot" in text


def test_dependabot_bumps_actions_and_pip_weekly() -> None:
    config = load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    schedule = {u["package-ecosystem"]: u["schedule"]["interval"] for u in config["updates"]}
    assert schedule.get("github-actions") == "weekly"
    assert schedule.get("pip") == "weekly"


# --- the Python lock ----------------------------------------------------------------------


def test_lock_file_pins_every_package_with_hashes() -> None:
    """requirements.txt is pip-compile output: every requirement `name==version` with at least one
    sha256 hash, so `pip install --require-hashes` can install it."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    assert len(entries) > 40
    for entry in entries:
        assert re.match(r"^[A-Za-z0-9._-]+==\S+ \\\n", entry), entry[:80]
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), entry[:80]


def test_direct_pins_are_exact_and_in_the_lock() -> None:
    lock = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower().replace("_", "-")
    direct = [line.split("#")[0].strip() for line in (ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()]
    direct = [d for d in direct if d]
    assert direct and all(re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][^ ]*", d) for d in direct), direct
    for pin in direct:
        assert f"\n{pin.lower().replace('_', '-')} " in lock, f"{pin} is not in requirements.txt"


def test_make_installs_with_require_hashes_and_locks_with_pip_compile() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = [line for line in makefile.splitlines() if "pip install" in line and "requirements.txt" in line]
    assert install and all("--require-hashes" in line for line in install), install
    lock = makefile[makefile.index("\nlock:"):]
    assert re.search(r"PIP_TOOLS := pip-tools==\d+\.\d+\.\d+", makefile)
    assert "pip-compile" in lock and "--generate-hashes" in lock and "requirements.in" in lock


# --- the check job ----------------------------------------------------------------------


def run_lines(job: dict) -> list[str]:
    return [str(s.get("run", "")) for s in steps_of(job)]


def first_step_running(job: dict, command: str) -> int:
    pattern = re.compile(rf"(^|[;&|\s]){re.escape(command)}(\s|$)", re.M)
    for index, run in enumerate(run_lines(job)):
        if pattern.search(run):
            return index
    pytest.fail(f"no step runs `{command}`")


def test_check_job_runs_validate_test_build_bundle_in_order(check_job: dict) -> None:
    order = [
        first_step_running(check_job, cmd)
        for cmd in ("make validate", "make test", "make build", "make bundle")
    ]
    assert order == sorted(order), order
    # Chromium is installed before the test run (make test would also do it).
    assert first_step_running(check_job, "make browser") < order[1]


def test_check_job_has_no_condition_and_runs_on_every_event(check_job: dict) -> None:
    assert "if" not in check_job


def test_checkout_fetches_full_history(check_job: dict) -> None:
    (step,) = uses_steps(check_job, "actions/checkout")
    assert step["with"]["fetch-depth"] == 0


def test_python_3_11_with_pip_cache_on_requirements(check_job: dict) -> None:
    (step,) = uses_steps(check_job, "actions/setup-python")
    assert str(step["with"]["python-version"]) == "3.11"
    assert step["with"]["cache"] == "pip"
    assert step["with"]["cache-dependency-path"] == "requirements.txt"


def test_site_and_bundle_are_uploaded_after_they_are_built(check_job: dict) -> None:
    steps = steps_of(check_job)
    uploads = {
        str(s["with"]["name"]): (i, str(s["with"]["path"]))
        for i, s in enumerate(steps)
        if str(s.get("uses", "")).startswith("actions/upload-artifact@")
    }
    site = [(i, p) for name, (i, p) in uploads.items() if name.startswith("site-preview-")]
    bundle = [(i, p) for name, (i, p) in uploads.items() if name.startswith("intranet-bundle-")]
    assert len(site) == 1 and site[0][1].rstrip("/") == "site", uploads
    assert len(bundle) == 1 and bundle[0][1].startswith("dist"), uploads
    assert "${{ github.sha }}" in next(n for n in uploads if n.startswith("site-preview-"))
    assert site[0][0] > first_step_running(check_job, "make build")
    assert bundle[0][0] > first_step_running(check_job, "make bundle")


def test_pull_requests_get_a_data_diff_in_the_step_summary(check_job: dict) -> None:
    diff_steps = [s for s in steps_of(check_job) if "workplan diff" in str(s.get("run", ""))]
    assert len(diff_steps) == 1
    step = diff_steps[0]
    assert condition(step.get("if")) == "github.event_name=='pull_request'"
    script = str(step["run"]) + str(step.get("env", {}))
    assert "github.event.pull_request.base.sha" in script
    assert "git worktree add" in step["run"]
    assert "GITHUB_STEP_SUMMARY" in step["run"]


# --- .ci/run and scripts/install-chromium -----------------------------------------------


def is_executable(path: Path) -> bool:
    return bool(path.stat().st_mode & stat.S_IXUSR)


def code_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("script", [CI_RUN, INSTALL_CHROMIUM, INSTALL_NODE_PACKAGES], ids=lambda p: p.name)
def test_scripts_are_executable_bash_with_valid_syntax(script: Path) -> None:
    assert script.is_file()
    assert is_executable(script), f"{script} is not executable (chmod +x)"
    assert script.read_text(encoding="utf-8").startswith(("#!/usr/bin/env bash", "#!/bin/bash"))
    subprocess.run(["bash", "-n", str(script)], check=True)


def test_ci_run_is_strict_and_calls_make_test() -> None:
    lines = code_lines(CI_RUN)
    assert "set -euo pipefail" in lines
    assert any(re.match(r"^(exec\s+)?make\s+test(\s|$)", line) for line in lines), lines


def fake_bin(tmp_path: Path, *, uid: int | None = None, apt_get: bool = False) -> Path:
    """A PATH with just the tools install-chromium needs, so no real apt/sudo is reachable."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "mktemp", "cat", "rm", "tail", "env"):
        real = shutil.which(tool)
        if real is None:
            pytest.skip(f"`{tool}` not found")
        (bin_dir / tool).symlink_to(real)
    if uid is not None:
        (bin_dir / "id").unlink()
        write_script(bin_dir / "id", f"echo {uid}")
    if apt_get:  # records that it was called, then fails
        write_script(bin_dir / "apt-get", f"echo called >> '{tmp_path}/apt-called'; exit 99")
    return bin_dir


def write_script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def run_install_chromium(bin_dir: Path, chromium: Path) -> subprocess.CompletedProcess:
    env = {"PATH": str(bin_dir), "CHROMIUM_PATH": str(chromium), "HOME": str(bin_dir)}
    return subprocess.run(
        ["/bin/bash", str(INSTALL_CHROMIUM)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_install_chromium_prints_one_version_line_when_present(tmp_path: Path) -> None:
    bin_dir = fake_bin(tmp_path)
    chromium = tmp_path / "chromium"
    write_script(chromium, 'echo "Chromium 123.0.1 built on Debian"')
    result = run_install_chromium(bin_dir, chromium)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"chromium: Chromium 123.0.1 built on Debian ({chromium})"]
    assert result.stderr == ""


def test_install_chromium_warns_loudly_and_passes_without_apt(tmp_path: Path) -> None:
    result = run_install_chromium(fake_bin(tmp_path), tmp_path / "missing-chromium")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "!!!" in result.stderr and "SKIPPED" in result.stderr


def test_install_chromium_never_prompts_for_sudo_when_not_root(tmp_path: Path) -> None:
    # Not root, apt-get present, no sudo: it must not try apt-get, only warn and pass.
    bin_dir = fake_bin(tmp_path, uid=1000, apt_get=True)
    result = run_install_chromium(bin_dir, tmp_path / "missing-chromium")
    assert result.returncode == 0, result.stderr
    assert "SKIPPED" in result.stderr
    assert not (tmp_path / "apt-called").exists()


def test_install_chromium_fails_when_apt_install_fails(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the root branch needs to run as root")
    bin_dir = fake_bin(tmp_path, apt_get=True)
    result = run_install_chromium(bin_dir, tmp_path / "missing-chromium")
    assert result.returncode == 1
    assert (tmp_path / "apt-called").exists()
    assert "could not install chromium" in result.stderr


def run_install_node_packages(bin_dir: Path, ci: bool) -> subprocess.CompletedProcess:
    env = {"PATH": str(bin_dir), "HOME": str(bin_dir), **({"CI": "true"} if ci else {})}
    return subprocess.run(["/bin/bash", str(INSTALL_NODE_PACKAGES)], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


def test_install_node_packages_fails_loudly_on_ci_without_npm(tmp_path: Path) -> None:
    # No npm and no apt-get: CI must not quietly drop the accessibility checks.
    result = run_install_node_packages(fake_bin(tmp_path), ci=True)
    assert result.returncode == 1, result.stderr
    assert "!!!" in result.stderr and "npm is not installed" in result.stderr


def test_install_node_packages_warns_and_passes_without_npm_elsewhere(tmp_path: Path) -> None:
    result = run_install_node_packages(fake_bin(tmp_path), ci=False)
    assert result.returncode == 0, result.stderr
    assert "!!!" in result.stderr and "SKIPPED" in result.stderr


def test_npm_packages_are_pinned_exactly_and_locked() -> None:
    import json

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    wanted = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
    assert "axe-core" in wanted
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: {version!r} is a range, pin an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, f"{name}: package-lock.json differs"


# --- issue forms and PR template --------------------------------------------------------


def issue_forms() -> list[Path]:
    forms = sorted(p for p in ISSUE_TEMPLATES.glob("*.y*ml") if p.stem != "config")
    assert forms, "no issue forms"
    return forms


@pytest.mark.parametrize("path", issue_forms(), ids=lambda p: p.name)
def test_issue_form_is_well_formed(path: Path) -> None:
    form = load(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name}: missing {key}"
    body = form["body"]
    assert isinstance(body, list)
    ids = [item["id"] for item in body if "id" in item]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids {ids}"
    for item in body:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] != "markdown":
            assert item.get("id") and re.fullmatch(r"[A-Za-z0-9_-]+", item["id"])
            assert item["attributes"].get("label")
    assert any(
        (item.get("validations") or {}).get("required") is True for item in body
    ), f"{path.name}: no required field"


def labels_of(path: Path) -> dict[str, dict]:
    return {
        item["attributes"]["label"]: item
        for item in load(path)["body"]
        if item["type"] != "markdown"
    }


def test_data_error_form_fields() -> None:
    path = ISSUE_TEMPLATES / "data-error.yml"
    assert load(path)["name"] == "报告数据错误"
    fields = labels_of(path)
    assert list(fields) == ["事项编号", "错在哪里", "文件原文/依据", "建议改为"]
    assert "三（一）16" in fields["事项编号"]["attributes"]["placeholder"]
    assert fields["事项编号"]["validations"]["required"] is True


def test_change_request_form_fields() -> None:
    path = ISSUE_TEMPLATES / "change-request.yml"
    assert load(path)["name"] == "申请修改"
    fields = labels_of(path)
    assert list(fields) == ["修改类型", "说明", "依据文件"]
    kind = fields["修改类型"]
    assert kind["type"] == "dropdown"
    assert kind["attributes"]["options"] == [
        "新增事项", "修改事项", "单位改名", "新增单位", "进展报告", "其他",
    ]


def test_blank_issues_are_disabled() -> None:
    assert load(ISSUE_TEMPLATES / "config.yml")["blank_issues_enabled"] is False


def test_pull_request_template_checklist() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = [line[len("- [ ] "):] for line in text.splitlines() if line.startswith("- [ ] ")]
    expected = [
        "make validate",
        "只改了需要改的文件",
        "逐字一致",
        "单位名录",
        "aliases",
        "只改本单位文件",
        "预览 artifact",
    ]
    for phrase in expected:
        assert any(phrase in box for box in boxes), f"checklist lacks: {phrase}"
