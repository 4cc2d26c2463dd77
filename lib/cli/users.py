"""Accounts from the operator's shell (issue #6): users add/list/set-role/disable.

Passwords come from standard input (``--password-stdin``) or from the
FACTDESK_PASSWORD variable, never from a prompt that would hang CI. Writes
are audited as ``--as NAME`` (default ``cli``).
"""
from __future__ import annotations

import os
import sys

import click

from lib.cli import Context, dumps, pass_ctx
from lib.vocab import ROLES

PASSWORD_VAR = "FACTDESK_PASSWORD"


def register(cli: click.Group) -> None:
    cli.add_command(users)


@click.group()
def users() -> None:
    """Accounts and roles: viewer, editor, admin."""


def read_password(from_stdin: bool) -> str:
    """The password from stdin's first line or FACTDESK_PASSWORD; never prompts."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.ClickException("--password-stdin given but standard input held no password.")
        return password
    password = os.environ.get(PASSWORD_VAR)
    if not password:
        raise click.ClickException(
            f"No password given: pipe it in with --password-stdin or set {PASSWORD_VAR}.")
    return password


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="What the account may do.")
@click.option("--password-stdin", is_flag=True,
              help=f"Read the password from standard input (else {PASSWORD_VAR}).")
@pass_ctx
def add(ctx: Context, name: str, role: str, password_stdin: bool) -> None:
    """Add user NAME with ROLE."""
    password = read_password(password_stdin)
    user = ctx.store.add_user(name, role, password, actor=ctx.actor)
    click.echo(f"Added {user['name']} ({user['role']}).")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def list_(ctx: Context, as_json: bool) -> None:
    """List users with their roles."""
    rows = ctx.store.users()
    if as_json:
        click.echo(dumps([{"name": u["name"], "role": u["role"], "disabled": u["disabled"],
                           "created_at": u["created_at"]} for u in rows]))
        return
    for u in rows:
        click.echo(f"{u['name']:<24} {u['role']:<7}{'  disabled' if u['disabled'] else ''}")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@pass_ctx
def set_role(ctx: Context, name: str, role: str) -> None:
    """Give user NAME the role ROLE."""
    user = ctx.store.set_role(name, role, actor=ctx.actor)
    click.echo(f"{user['name']} is now {user['role']}.")


@users.command("disable")
@click.argument("name")
@pass_ctx
def disable(ctx: Context, name: str) -> None:
    """Disable user NAME: no more sign-ins; history kept."""
    ctx.store.disable(name, actor=ctx.actor)
    click.echo(f"Disabled {name}.")


@users.command("enable")
@click.argument("name")
@pass_ctx
def enable(ctx: Context, name: str) -> None:
    """Enable user NAME again."""
    ctx.store.enable(name, actor=ctx.actor)
    click.echo(f"Enabled {name}.")


@users.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True,
              help=f"Read the password from standard input (else {PASSWORD_VAR}).")
@pass_ctx
def set_password(ctx: Context, name: str, password_stdin: bool) -> None:
    """Set user NAME's password."""
    ctx.store.set_password(name, read_password(password_stdin), actor=ctx.actor)
    click.echo(f"Password of {name} changed.")
