"""Exceptions the stages raise; cli.py turns them into messages and exit codes."""


class AudiobookError(Exception):
    """Base class: a problem a user can act on. The message is one line."""

    exit_code = 1


class InputError(AudiobookError):
    """Bad input or usage: a missing, empty, binary or undecodable file, a bad setting (exit 2)."""

    exit_code = 2


class BuildError(AudiobookError):
    """A build or check that ran but failed (exit 1)."""

    exit_code = 1
