"""``cielo24 completion bash|zsh|fish``: a shell completion script, made from the parser.

The script is written from the command's own parser, so it always offers the commands,
subcommands and options this version has, and the values of options with a fixed set (and
the caption formats). Standard library only; nothing is installed by the command itself.
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field
from typing import cast

from cielo24.cli.arguments import COMMAND, SubParsers
from cielo24.cli.context import Context
from cielo24.enums import CaptionFormat, enum_values

SHELLS = ("bash", "zsh", "fish")

INSTALL = {
    "bash": 'add `eval "$(cielo24 completion bash)"` to ~/.bashrc',
    "zsh": 'add `eval "$(cielo24 completion zsh)"` to ~/.zshrc',
    "fish": "run `cielo24 completion fish > ~/.config/fish/completions/cielo24.fish`",
}


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    """Add ``completion``."""
    parser = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script for the shell: "
        + "; ".join(f"{shell}: {how}" for shell, how in INSTALL.items())
        + ".",
    )
    parser.add_argument("shell", choices=SHELLS)
    parser.set_defaults(**{COMMAND: completion_command})


@dataclass
class Node:
    """A command (or the program itself) as the completion sees it."""

    path: str
    help: str = ""
    commands: dict[str, Node] = field(default_factory=dict[str, "Node"])
    options: list[str] = field(default_factory=list[str])
    #: The values of options that take one of a fixed set, by option string.
    values: dict[str, list[str]] = field(default_factory=dict[str, list[str]])


def tree(parser: argparse.ArgumentParser, path: str = "") -> Node:
    """The commands, options and values of ``parser`` and its subcommands."""
    node = Node(path)
    for action in parser._actions:  # pyright: ignore[reportPrivateUsage]  # argparse has no public walk
        if isinstance(action, argparse._SubParsersAction):  # pyright: ignore[reportPrivateUsage]
            helps = {
                choice.dest: choice.help or ""
                for choice in action._choices_actions  # pyright: ignore[reportPrivateUsage]
            }
            choices = cast("dict[str, argparse.ArgumentParser]", action.choices)  # pyright: ignore[reportUnknownMemberType]
            for name, sub in choices.items():
                child = tree(sub, f"{path} {name}".strip())
                child.help = helps.get(name, "")
                node.commands[name] = child
            continue
        node.options.extend(action.option_strings)
        values = _values(action)
        if values:
            for option in action.option_strings:
                node.values[option] = values
    return node


def _values(action: argparse.Action) -> list[str]:
    if action.choices is not None and not isinstance(action.choices, dict):
        return [str(choice) for choice in action.choices]
    if action.dest == "format":
        return list(enum_values(CaptionFormat))
    return []


def _walk(node: Node) -> list[Node]:
    return [node, *(n for child in node.commands.values() for n in _walk(child))]


def bash_script(root: Node) -> str:
    """The bash script: a function that finds the command typed so far, then offers an
    option's values, its options (after ``-``), its subcommands, or files."""
    nodes = _walk(root)
    paths = " | ".join(shlex.quote(n.path) for n in nodes if n.path)
    value_cases = "".join(
        f"        {shlex.quote(n.path + ':' + option)}) values={shlex.quote(' '.join(values))} ;;\n"
        for n in nodes
        for option, values in n.values.items()
    )
    word_cases = "".join(
        f"        {shlex.quote(n.path)}) words={shlex.quote(' '.join(n.commands))}"
        f" options={shlex.quote(' '.join(n.options))} ;;\n"
        for n in nodes
    )
    return f"""# cielo24 completion for bash: eval "$(cielo24 completion bash)"
_cielo24() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local path="" word i values="" words="" options=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case "${{path:+$path }}$word" in
        {paths}) path="${{path:+$path }}$word" ;;
        esac
    done
    case "$path:$prev" in
{value_cases}    esac
    if [[ -n "$values" ]]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur"))
        return
    fi
    case "$path" in
{word_cases}    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ -n "$words" ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o default -F _cielo24 cielo24
"""


def zsh_script(root: Node) -> str:
    """The zsh script: the bash one, through zsh's own bashcompinit."""
    return (
        '# cielo24 completion for zsh: eval "$(cielo24 completion zsh)"\n'
        "autoload -U +X compinit && compinit\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(root).split("\n", 1)[1]
    )


def fish_script(root: Node) -> str:
    """The fish script: one ``complete`` line per command, option and value set."""
    lines = [
        "# cielo24 completion for fish: cielo24 completion fish | source",
        "complete -c cielo24 -f",
    ]
    for node in _walk(root):
        names = node.path.split()
        parts = [f"__fish_seen_subcommand_from {name}" for name in names]
        if node.commands:
            others = " ".join(node.commands)
            parts.append(
                f"not __fish_seen_subcommand_from {others}" if names else "__fish_use_subcommand"
            )
        condition = shlex.quote("; and ".join(parts))
        for name, child in node.commands.items():
            lines.append(
                f"complete -c cielo24 -n {condition} -a {name} -d {shlex.quote(child.help)}"
            )
        for option in node.options:
            flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
            values = node.values.get(option)
            extra = f" -xa {shlex.quote(' '.join(values))}" if values else ""
            lines.append(f"complete -c cielo24 -n {condition} {flag}{extra}")
        if names and not node.commands:
            lines.append(f"complete -c cielo24 -n {condition} -F")
    return "\n".join(lines) + "\n"


def completion_command(ctx: Context) -> None:
    from cielo24.cli.main import build_parser

    root = tree(build_parser())
    script = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[ctx.args.shell]
    ctx.output.raw(script(root))
