"""Errors as the protocol carries them: the user's innermost exception first, Dagster's wrappers as context.

Dagster wraps a user's exception (DagsterExecutionStepExecutionError, DagsterExecutionLoadInputError, ...) and keeps
the user's error in the cause chain of its SerializableErrorInfo (`.cause`, and `.context` in later releases). The
useful text is at the end of that chain, so the chain is walked to its innermost link.
"""
import traceback


def chain_of_info(info):
    """SerializableErrorInfo, then its cause (else context), then theirs, outermost first; cycles are cut."""
    links, seen = [], set()
    while info is not None and id(info) not in seen:
        seen.add(id(info))
        links.append(info)
        info = getattr(info, "cause", None) or getattr(info, "context", None)
    return links


def chain_of_exception(exc):
    """An exception and its __cause__ (else unsuppressed __context__), outermost first."""
    links, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        links.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return links


def first_line(text):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def message_of_info(info):
    """"Class: message" of one SerializableErrorInfo; Dagster's message may start with the module-qualified class."""
    cls = getattr(info, "cls_name", None) or "Error"
    text = (getattr(info, "message", "") or "").strip()
    head, sep, rest = text.partition(": ")
    if sep and head.split(".")[-1] == cls:
        text = rest.strip()
    elif text.split(".")[-1] == cls:
        text = ""
    return cls, text


def stack_of_info(links):
    """The chain as Python prints one: the outermost first, each cause after 'The above exception was the direct cause'."""
    parts = []
    for i, info in enumerate(links):
        if i:
            parts.append("\nThe above exception was caused by:\n\n")
        stack = getattr(info, "stack", None) or []
        parts.append("".join(stack) if isinstance(stack, (list, tuple)) else str(stack))
        cls, text = message_of_info(info)
        parts.append("%s: %s\n" % (cls, text) if text else cls + "\n")
    return "".join(parts)


def protocol_error(cls, message, stack, wrappers):
    error = {"class": cls, "message": message, "stack": stack}
    if wrappers:
        # The wrapper that says where it happened ("Error occurred while loading input "prev" of step "rolling":").
        error["context"] = wrappers[0]
    return error


def error_from_info(info):
    """Dagster's SerializableErrorInfo as a protocol error: the innermost link's class and message, wrappers as context."""
    if info is None:
        return None
    links = chain_of_info(info)
    inner = links[-1]
    cls, text = message_of_info(inner)
    wrappers = ["%s: %s" % message_of_info(w) for w in links[:-1]]
    return protocol_error(cls, text, stack_of_info(links), [w.rstrip(":") for w in wrappers])


def error_from_exception(exc):
    """A Python exception as a protocol error, the same way: the innermost of its cause chain first."""
    links = chain_of_exception(exc)
    inner = links[-1]
    wrappers = ["%s: %s" % (type(e).__name__, first_line(str(e))) for e in links[:-1]]
    return protocol_error(type(inner).__name__, str(inner), "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), [w.rstrip(":") for w in wrappers])


def class_names(error_or_exc):
    """Every class name in an exception's or SerializableErrorInfo's chain."""
    if isinstance(error_or_exc, BaseException):
        return [type(e).__name__ for e in chain_of_exception(error_or_exc)]
    return [getattr(i, "cls_name", "") for i in chain_of_info(error_or_exc)]
