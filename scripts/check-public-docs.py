#!/usr/bin/env python3
"""Checks that every `public` (or `open`) declaration in the Swift sources has a doc comment.

A declaration is documented when the line right above it (skipping only attribute lines such as
`@inlinable` and `// swift-format-ignore` directives) ends a doc comment: a run of `///` lines with
some text in it, or a `/** ... */` block. A blank line or a plain `//` comment in between breaks it.

Only the line where a declaration starts is looked at, so a `public init(` whose parameters span
several lines needs its doc above that first line. Attributes and other modifiers may come before
`public` on that line (`@discardableResult public func`, `nonisolated public var`), and
`public private(set) var` counts. Lines inside block comments and multi-line string literals are
skipped. Extensions are not checked (swift-format forbids `public extension`), nor are enum cases,
which carry no `public` of their own.

These members are accepted without a doc comment, because each implements a protocol requirement
that is documented with the protocol and says nothing more here:
  - `var description: String` (CustomStringConvertible),
  - `var errorDescription: String?` (LocalizedError),
  - `var category: ErrorCategory` (BertSentError),
  - `init(from decoder: ...Decoder)` and `func encode(to encoder: ...Encoder)` (Codable),
  - `static func ==` (Equatable),
  - in a type whose declaration names CodingKey: `stringValue`, `intValue`, `init?(stringValue:)`
    and `init?(intValue:)`.

Usage: scripts/check-public-docs.py [--limit N] [PATH ...]
PATHs are Swift files or directories searched recursively; the default is Sources. Prints each
undocumented declaration as `file:line: declaration` and a count, and exits 1 when there is any,
0 when there is none (2 on bad usage).
"""

import argparse
import os
import re
import sys

# Modifiers that may stand beside `public` at the start of a declaration.
MODIFIERS = (
    r"(?:final|nonisolated|override|static|class|indirect|convenience|required|mutating|nonmutating"
    r"|dynamic|lazy|weak|unowned|optional|prefix|postfix|infix|consuming|borrowing|distributed"
    r"|(?:private|fileprivate|internal|package|public)\(set\))"
)
# One attribute, with an argument list that may hold one level of nested parentheses.
ATTRIBUTE = r"@\w+(?:\((?:[^()]|\([^()]*\))*\))?"
# A line that holds attributes and nothing else (`@inlinable`, `@available(macOS 15, *)`).
ATTRIBUTES_ONLY = re.compile(rf"^(?:{ATTRIBUTE}\s*)+$")
DECLARATION_KEYWORD = (
    r"(?:func|var|let|init[?!]?|subscript|struct|class|enum|protocol|actor|typealias|associatedtype"
    r"|operator|precedencegroup|macro|case|extension)\b"
)
DECLARATION = re.compile(
    rf"^(?:{ATTRIBUTE}\s+)*(?:{MODIFIERS}\s+)*(?:public|open)\s+(?:{MODIFIERS}\s+)*"
    rf"(?P<rest>{DECLARATION_KEYWORD}.*)$"
)

# Protocol requirements documented where the protocol is (see the module docstring).
REQUIREMENTS = [
    re.compile(r"^var\s+description\s*:\s*String\b(?!\?)"),
    re.compile(r"^var\s+errorDescription\s*:\s*String\?"),
    re.compile(r"^var\s+category\s*:\s*ErrorCategory\b"),
    re.compile(r"^init\(\s*from\s+\w+\s*:\s*(?:any\s+)?Decoder\b"),
    re.compile(r"^func\s+encode\(\s*to\s+\w+\s*:\s*(?:any\s+)?Encoder\b"),
    re.compile(r"^func\s+==\s*[(<]"),  # only with `static` among the modifiers (see is_requirement)
]
CODING_KEY_REQUIREMENTS = [
    re.compile(r"^(?:var|let)\s+stringValue\s*:\s*String\b(?!\?)"),
    re.compile(r"^(?:var|let)\s+intValue\s*:\s*Int\?"),
    re.compile(r"^init\?\(\s*stringValue\s*:\s*String\s*\)"),
    re.compile(r"^init\?\(\s*intValue\s*:\s*Int\s*\)"),
]
# The line that opens a type or extension: `package struct SettingKey: CodingKey, Sendable {`.
TYPE_HEADER = re.compile(rf"^(?:{ATTRIBUTE}\s+)*(?:\w+\s+)*(?:struct|class|enum|actor|extension)\s")
# What starts a comment or a string literal outside them; the hashes belong to raw strings.
OPENING = re.compile(r'//|/\*|(#*)"""|(#*)"')


def code_lines(text):
    """Yields (index, line) for each line that starts outside block comments and multi-line strings."""
    comment_depth = 0
    in_string = None  # the closing delimiter of the multi-line string we are in, e.g. '"""' or '"""#'
    for index, line in enumerate(text.split("\n")):
        starts_in_code = comment_depth == 0 and in_string is None
        position = 0
        while position < len(line):
            if in_string is not None:
                end = line.find(in_string, position)
                if end < 0:
                    break
                position = end + len(in_string)
                in_string = None
            elif comment_depth > 0:
                opening, closing = line.find("/*", position), line.find("*/", position)
                if closing < 0 and opening < 0:
                    break
                if opening >= 0 and (closing < 0 or opening < closing):
                    comment_depth += 1
                    position = opening + 2
                else:
                    comment_depth -= 1
                    position = closing + 2
            else:
                match = OPENING.search(line, position)
                if match is None or match.group(0) == "//":
                    break
                if match.group(0) == "/*":
                    comment_depth = 1
                    position = match.end()
                elif match.group(0).endswith('"""'):
                    in_string = '"""' + match.group(1)
                    position = match.end()
                else:
                    # A one-line string: skip to its closing quote, past escaped characters.
                    closing = '"' + (match.group(2) or "")
                    position = match.end()
                    while position < len(line):
                        if line.startswith("\\", position) and not match.group(2):
                            position += 2
                        elif line.startswith(closing, position):
                            position += len(closing)
                            break
                        else:
                            position += 1
        if starts_in_code:
            yield index, line


def is_documented(lines, index):
    """Whether a doc comment ends right above line `index`, past attribute lines and format directives."""
    above = index - 1
    while above >= 0:
        stripped = lines[above].strip()
        if ATTRIBUTES_ONLY.match(stripped) or stripped.startswith("// swift-format-ignore"):
            above -= 1
        else:
            break
    if above < 0:
        return False
    stripped = lines[above].strip()
    if stripped.startswith("///"):
        text = []
        while above >= 0 and lines[above].strip().startswith("///"):
            text.append(lines[above].strip()[3:].strip())
            above -= 1
        return any(text)
    if stripped.endswith("*/"):
        while above >= 0 and "/*" not in lines[above]:
            above -= 1
        return above >= 0 and "/**" in lines[above] and lines[above].strip().startswith("/**")
    return False


def enclosing_header(lines, index):
    """The declaration line of the type or extension whose body holds line `index`, by indentation."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    for above in range(index - 1, -1, -1):
        line = lines[above]
        if not line.strip():
            continue
        above_indent = len(line) - len(line.lstrip())
        if above_indent < indent:
            if TYPE_HEADER.match(line.strip()):
                # The conformance list may continue on the following lines up to the opening brace.
                header = []
                for following in lines[above:index]:
                    header.append(following)
                    if "{" in following:
                        break
                return " ".join(header)
            indent = above_indent
    return ""


def is_requirement(modifiers, rest, lines, index):
    """Whether the declaration (`modifiers` and attributes, then `rest` from its keyword on) implements an
    accepted protocol requirement."""
    if re.match(r"func\s+==", rest) and not re.search(r"\bstatic\b", modifiers):
        return False
    if any(pattern.match(rest) for pattern in REQUIREMENTS):
        return True
    if any(pattern.match(rest) for pattern in CODING_KEY_REQUIREMENTS):
        return re.search(r"\bCodingKey\b", enclosing_header(lines, index)) is not None
    return False


def undocumented(path):
    """The (line number, declaration) of each public declaration in `path` without a doc comment."""
    with open(path, encoding="utf-8") as file:
        lines = file.read().split("\n")
    found = []
    for index, line in code_lines("\n".join(lines)):
        match = DECLARATION.match(line.strip())
        if match is None:
            continue
        rest = match.group("rest")
        modifiers = match.string[: match.start("rest")]
        if rest.startswith(("extension", "case")) or is_requirement(modifiers, rest, lines, index):
            continue
        if not is_documented(lines, index):
            found.append((index + 1, line.strip()))
    return found


def swift_files(paths):
    """The Swift files among `paths` and under the directories among them, sorted."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            for directory, subdirectories, names in os.walk(path):
                subdirectories.sort()
                files.extend(os.path.join(directory, name) for name in sorted(names) if name.endswith(".swift"))
        elif os.path.isfile(path):
            files.append(path)
        else:
            hint = " (to list at most N, use --limit N)" if path.isdigit() else ""
            print(f"check-public-docs: no such file or directory: {path}{hint}", file=sys.stderr)
            sys.exit(2)
    return sorted(set(files))


def main():
    parser = argparse.ArgumentParser(
        description="List public Swift declarations that lack a doc comment; exit 1 when there is any."
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="Swift files or directories (default: Sources)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="list at most N of them")
    arguments = parser.parse_args()
    if not arguments.paths:
        os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
        arguments.paths = ["Sources"]
    missing = [(path, number, text) for path in swift_files(arguments.paths) for number, text in undocumented(path)]
    for path, number, text in missing[: arguments.limit]:
        print(f"{path}:{number}: {text[:110]}")
    if missing:
        print(f"check-public-docs: {len(missing)} public declaration(s) without a doc comment", file=sys.stderr)
        return 1
    print("check-public-docs: every public declaration has a doc comment")
    return 0


if __name__ == "__main__":
    sys.exit(main())
