"""The house as drawn in the README: which app may import which, no import cycles, imports at the
top of modules, every package saying what it is, and every file named in prose existing. Read
from the source (with ast), so it holds for code no test runs."""

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {"core", "news", "contact", "ops", "sitecms"}
# What each app may import of the others (sitecms, the configuration, ties them together).
MAY_IMPORT = {
    "core": set(),
    "contact": {"core"},
    "ops": {"core"},
    "news": {"core", "contact"},
    "sitecms": {"core", "news", "contact", "ops"},
}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files():
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def site_imports(tree):
    """(node, imported module, whether the import is inside a function) for the site's modules."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside.update(id(child) for child in ast.walk(node) if child is not node)
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name.split(".")[0] in APPS:
                yield node, name, id(node) in inside


def ready_methods(tree):
    return {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "ready"
        for child in ast.walk(node)
    }


def import_graph():
    """{module: {modules it imports}}, a `from package import name` naming a module counted as
    an import of that module."""
    modules = {module_name(path): path for path in source_files()}
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = set()
        for node, name, _ in site_imports(tree):
            targets.add(name)
            if isinstance(node, ast.ImportFrom):
                targets.update(
                    f"{name}.{alias.name}"
                    for alias in node.names
                    if f"{name}.{alias.name}" in modules
                )
        graph[module] = {target for target in targets if target in modules} - {module}
    return graph


def test_each_app_imports_only_the_apps_below_it():
    crossings = []
    for path in source_files():
        app = path.relative_to(ROOT).parts[0]
        for _, name, _ in site_imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = name.split(".")[0]
            if target != app and target not in MAY_IMPORT[app]:
                crossings.append(f"{module_name(path)} imports {name}")
    assert crossings == []


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    cycles, done = [], set()

    def visit(module, trail):
        if module in trail:
            cycles.append(" -> ".join([*trail[trail.index(module) :], module]))
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_the_sites_modules_are_imported_at_the_top_except_in_app_ready():
    hidden = []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ready = ready_methods(tree)
        hidden += [
            f"{module_name(path)}:{node.lineno} imports {name}"
            for node, name, in_function in site_imports(tree)
            if in_function and id(node) not in ready
        ]
    assert hidden == []


def test_every_package_says_what_it_is_and_may_import():
    silent = [
        module_name(init)
        for app in sorted(APPS - {"sitecms"})
        for init in sorted((ROOT / app).rglob("__init__.py"))
        if {"migrations", "management", "templatetags", "commands", "settings"}.isdisjoint(
            init.relative_to(ROOT).parts
        )
        and not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    ]
    assert silent == []


def test_sitecms_holds_configuration_only():
    assert {
        path.relative_to(ROOT / "sitecms").as_posix() for path in (ROOT / "sitecms").rglob("*.py")
    } == {
        "__init__.py",
        "urls.py",
        "wsgi.py",
        "settings/__init__.py",
        "settings/base.py",
        "settings/dev.py",
        "settings/production.py",
        "settings/test.py",
    }


def test_the_modules_handed_out_first_to_parallel_test_processes_exist():
    from tests.conftest import SLOWEST_MODULES

    assert [module for module in SLOWEST_MODULES if not (ROOT / module).exists()] == []


# A file of the repository named in prose: a comment, a docstring, a template's note, the README.
NAMED_PATH = re.compile(
    r"(?<![\w/.-])((?:core|news|contact|ops|sitecms|stack|bench|tests|deploy|templates|static"
    r"|docs|locale)/[\w/.-]*\w\.(?:py|html|js|css|conf|md|txt|json|xlsx|png|svg))(?![\w/])"
)
PROSE_SUFFIXES = {".py", ".html", ".js", ".css", ".conf", ".md", ".toml", ".cfg", ""}


def prose_files():
    """The repository's own text files (not migrations, which record history, nor the
    translation catalogues, which name Wagtail's files)."""
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in listed:
        path = ROOT / name
        if "migrations" in path.parts or path.suffix not in PROSE_SUFFIXES or not path.is_file():
            continue
        if path.suffix == "" and path.name not in {"Makefile", "run"}:
            continue
        yield path


def test_every_file_the_code_and_the_docs_name_exists():
    """A pointer in prose that names a file no longer there sends a reader nowhere. A name is
    found at the repository's top, or as a template's name under templates/."""
    missing = []
    for path in prose_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for named in NAMED_PATH.findall(line):
                if not ((ROOT / named).exists() or (ROOT / "templates" / named).exists()):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {named}")
    assert missing == []
