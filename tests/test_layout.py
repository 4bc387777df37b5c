"""The house as drawn in the README: which app may import which, no import cycles, imports at the
top of modules, every package saying what it is, and every file named in prose existing. Read
from the source (with ast), so it holds for code no test runs."""

import ast
import itertools
import re
import subprocess
from pathlib import Path

from news.apps import NewsConfig

ROOT = Path(__file__).resolve().parent.parent
APPS = {"core", "news", "contact", "ops", "security", "interaction", "quality", "sitecms"}
# What each app may import of the others (sitecms, the configuration, ties them together).
MAY_IMPORT = {
    "core": set(),
    "contact": {"core"},
    "ops": {"core"},
    "security": {"core"},
    "news": {"core", "contact"},
    # Its channels hang under news' home page and its replies are reviewed by news' 审核.
    "interaction": {"core", "news"},
    # It checks, re-scans and reports on news' pages and columns.
    "quality": {"core", "news"},
    "sitecms": {"core", "news", "contact", "ops", "security", "interaction", "quality"},
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


# Inside news/: its sub-packages are rooms, its own modules (news/*.py) the floor they stand on.
# Each room's __init__.py ends with what it may import, "Imports core, news.models and news.hits."
# (apps, modules and rooms, "news" alone naming the floor), read here rather than written again in
# a table that could drift from it. These tie the rooms together and nothing imports them:
NEWS_ROOF = {"news.apps", "news.signal_handlers", "news.wagtail_hooks", "news.management"}
ROOM_RULE = re.compile(r"\bImports ([\w., ]+?)\.(?:\s|$)")


def news_rooms():
    return {
        f"news.{init.parent.name}"
        for init in (ROOT / "news").glob("*/__init__.py")
        if init.parent.name != "migrations" and f"news.{init.parent.name}" not in NEWS_ROOF
    }


def in_news(module):
    return module.split(".")[0] == "news"


def room_of(module):
    """The room of news/ a module is in, "news" for the floor, None for the roof; another app's
    module is in that app."""
    if not in_news(module):
        return module.split(".")[0]
    if any(module == top or module.startswith(f"{top}.") for top in NEWS_ROOF):
        return None
    room = ".".join(module.split(".")[:2])
    return room if room in news_rooms() else "news"


def room_rules():
    """{room: the names its __init__.py says it may import}, None where it says nothing."""
    rules = {}
    for room in sorted(news_rooms()):
        init = ROOT / room.replace(".", "/") / "__init__.py"
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        found = ROOM_RULE.findall(" ".join(docstring.split()))
        rules[room] = set(re.split(r",\s*|\s+and\s+", found[-1].strip())) if found else None
    return rules


def allows(names, target):
    return any(
        room_of(target) == "news"
        if name == "news"
        else target == name or target.startswith(f"{name}.")
        for name in names
    )


def test_each_room_of_news_says_what_it_may_import():
    modules = set(import_graph())
    unclear = {
        room: names
        for room, names in room_rules().items()
        if names is None
        or not names
        or any(name not in APPS and name not in modules for name in names)
    }
    assert unclear == {}


def test_each_room_of_news_imports_only_what_it_says():
    rules, graph = room_rules(), import_graph()
    crossings = [
        f"{module} imports {target}, not in {room}'s rule {sorted(rules[room] or ())}"
        for module, targets in sorted(graph.items())
        if (room := room_of(module)) in rules
        for target in sorted(targets)
        if room_of(target) != room and not allows(rules[room] or (), target)
    ]
    assert crossings == []


def test_no_room_of_news_imports_back_what_imports_it():
    """Rooms and the floor, as one import each: a floor module importing a room that imports
    the floor (news/models.py the click counter's store, which imports news/models.py) would
    make a circle no single module shows."""
    edges = {}
    for module, targets in import_graph().items():
        room = room_of(module)
        if not in_news(module) or room is None:
            continue
        for target in targets:
            other = room_of(target)
            if in_news(target) and other not in {None, room}:
                edges.setdefault(room, {}).setdefault(other, f"{module} imports {target}")
    circles = set()

    def visit(room, trail):
        if room in trail:
            circle = trail[trail.index(room) :]
            start = circle.index(min(circle))  # each circle once, whichever room it was met at
            circle = [*circle[start:], *circle[:start], circle[start]]
            circles.add(" / ".join(edges[a][b] for a, b in itertools.pairwise(circle)))
            return
        for other in sorted(edges.get(room, ())):
            visit(other, [*trail, room])

    for room in sorted(edges):
        visit(room, [])
    assert sorted(circles) == []


def imported_names(node):
    """What an import statement brings in, each as a dotted name (`from a import b` gives a.b)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def test_receivers_are_connected_one_way():
    """Each app's receivers are in its signal_handlers.py, whose register_signal_handlers(),
    called from the app's ready(), connects each with its sender (as Wagtail's apps do): no
    @receiver module that must be imported to take effect, and no connects elsewhere."""
    elsewhere, senderless = [], []
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if path.name != "signal_handlers.py":
            elsewhere += [
                f"{module_name(path)}:{node.lineno} imports {name}"
                for node in ast.walk(tree)
                for name in imported_names(node)
                if name.split(".")[-1] == "signals" or name.startswith("django.dispatch")
            ]
            continue
        senderless += [
            f"{module_name(path)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and "sender" not in {keyword.arg for keyword in node.keywords}
        ]
    assert (elsewhere, senderless) == ([], [])


def test_every_room_of_news_with_tables_registers_them():
    """NewsConfig imports the rooms' models modules by name; a room given tables later must be
    named there, or its tables would be unknown to Django."""
    rooms = {path.parent.name for path in (ROOT / "news").glob("*/models.py")}
    assert set(NewsConfig.rooms_with_tables) == rooms


# Names Django and Wagtail look for in every app, which each app may have.
CONVENTIONAL_NAMES = {
    "__init__.py",
    "admin.py",
    "apps.py",
    "forms.py",
    "models.py",
    "signal_handlers.py",
    "urls.py",
    "views.py",
    "wagtail_hooks.py",
    # A database backend's module (ENGINE + ".base", core/postgresql/), and the settings' shared part.
    "base.py",
}


def tracked_files(*patterns):
    """The files git tracks, named as they are (not quoted, as git writes names such as
    docs/使用手册.md by default)."""
    listed = subprocess.run(
        ["git", "-c", "core.quotePath=false", "ls-files", "-z", *patterns],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [name for name in listed.split("\0") if name]


def test_no_two_modules_share_a_name():
    """A newcomer opening a module by its name lands in the one they meant. Template tag
    libraries are named for what templates load (which Django needs unique), so they are compared
    among themselves: a library may share the name of the module it presents."""
    places = {}
    for name in tracked_files("*.py"):
        path = Path(name)
        if path.parts[0] == "tests" or "migrations" in path.parts:
            continue
        if path.name not in CONVENTIONAL_NAMES:
            kind = "templatetags" in path.parts
            places.setdefault((kind, path.name), []).append(name)
    assert {name: found for (_, name), found in places.items() if len(found) > 1} == {}


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
    for name in tracked_files():
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
