"""Imports a code location (import root + entry files) and finds what Dagster would load from it."""
import importlib
import importlib.util
import os
import sys
import time


def module_name_for(import_root, path):
    """Dotted module name of a file under the import root: a/b/c.py -> a.b.c, a/__init__.py -> a."""
    rel = os.path.relpath(path, import_root)
    if rel.startswith(".."):
        return None
    parts = rel[: -len(".py")].split(os.sep)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


def entry_paths(workspace_root, import_root, entry_files):
    if entry_files:
        return [os.path.join(workspace_root, f) for f in entry_files]
    # No entry files: every module under the import root is loaded, as discovery saw them.
    found = []
    for folder, dirs, files in os.walk(import_root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__", "venv", ".venv"))
        found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))
    return found


def import_entry(import_root, path):
    name = module_name_for(import_root, path)
    if name is not None:
        return importlib.import_module(name)
    # A file outside any importable package path: load it under a private name, as `dagster -f` does.
    private = "backfill_location_" + str(abs(hash(path)))
    spec = importlib.util.spec_from_file_location(private, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot import " + path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[private] = module
    spec.loader.exec_module(module)
    return module


class LoadedLocation:
    """What one code location provides: a Definitions-like object (Definitions, repository, or one built from globals)."""

    def __init__(self, name, definitions, source, modules, seconds):
        self.name = name
        self.definitions = definitions
        self.source = source
        self.modules = modules
        self.seconds = seconds
        self.jobs = {}
        # Asset keys -> their PartitionsDefinition, when their implicit job has none.
        self.partitions_defs = {}


def load_location(dagster, workspace_root, location):
    started = time.perf_counter()
    import_root = os.path.normpath(os.path.join(workspace_root, location.get("root") or ""))
    for p in (import_root, workspace_root):
        if p not in sys.path:
            sys.path.insert(0, p)
    paths = entry_paths(workspace_root, import_root, location.get("entryFiles") or [])
    if not paths:
        raise ImportError("code location %r has no Python files under %s" % (location.get("name"), import_root))
    modules = [import_entry(import_root, p) for p in paths]
    definitions, source = find_definitions(dagster, modules, location.get("repositoryName"))
    return LoadedLocation(location.get("name") or "workspace", definitions, source, modules, time.perf_counter() - started)


def find_definitions(dagster, modules, repository_name=None):
    """A Definitions object, else a `defs` attribute, else a repository (the one discovery named, when it named
    one: a module may hold several), else one built from the modules' assets and jobs."""
    definitions_cls = getattr(dagster, "Definitions", None)
    repository_cls = getattr(dagster, "RepositoryDefinition", None)
    for module in modules:
        for name, value in vars(module).items():
            if definitions_cls is not None and isinstance(value, definitions_cls):
                return value, "Definitions object %s.%s" % (module.__name__, name)
    for module in modules:
        value = getattr(module, "defs", None)
        if value is not None and (hasattr(value, "get_job_def") or hasattr(value, "resolve_job_def")):
            return value, "defs attribute of %s" % module.__name__
    named = repository_name if repository_name not in (None, "__repository__") else None
    for module in modules:
        for name, value in vars(module).items():
            if repository_cls is not None and isinstance(value, repository_cls):
                if named is None or getattr(value, "name", None) == named:
                    return value, "repository %s.%s" % (module.__name__, name)
    assets, jobs = [], []
    assets_cls = getattr(dagster, "AssetsDefinition", None)
    source_cls = getattr(dagster, "SourceAsset", None)
    job_classes = tuple(c for c in (getattr(dagster, "JobDefinition", None),) if c is not None)
    for module in modules:
        for value in vars(module).values():
            if assets_cls is not None and isinstance(value, assets_cls) and value not in assets:
                assets.append(value)
            elif source_cls is not None and isinstance(value, source_cls) and value not in assets:
                assets.append(value)
            elif job_classes and isinstance(value, job_classes) and value not in jobs:
                jobs.append(value)
    if definitions_cls is None:
        raise ImportError("this dagster has no Definitions class and the code location declares none")
    return definitions_cls(assets=assets, jobs=jobs), "Definitions built from %d assets and %d jobs in module globals" % (len(assets), len(jobs))
