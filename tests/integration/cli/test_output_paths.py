"""Every file the command line writes: missing folders are made; a path that cannot be written is
an error in words (exit 2), never a traceback. The same for `export`, `data export`,
`community export-queue` and `backup`."""

import json
import os

import pytest

# each command that writes a file, up to the output path it is given last
WRITERS = {
    "export": ["export", "-f", "json", "--bank", "cli-bank", "--out"],
    "data export": ["data", "export", "ann@example.com", "--out"],
    "community export-queue": ["community", "export-queue", "--out"],
    "backup": ["backup"],
}


@pytest.fixture
def with_account(rehearse):
    made = rehearse("users", "create", "ann@example.com", input="long password 1\n" * 2)
    assert made.exit_code == 0, made.output
    return rehearse


def _no_traceback(result):
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", WRITERS)
def test_an_output_path_in_folders_that_do_not_exist_yet_is_written_there(with_account, tmp_path, command):
    out = tmp_path / "not" / "yet" / "made" / "out.file"
    result = with_account(*WRITERS[command], out)
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0


@pytest.mark.parametrize("command", WRITERS)
def test_an_output_path_under_a_file_is_an_error_that_names_the_file(with_account, tmp_path, command):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("a file, not a folder\n", encoding="utf-8")
    out = blocking / "sub" / "out.file"
    result = with_account(*WRITERS[command], out)
    assert result.exit_code == 2
    _no_traceback(result)
    said = result.stderr.replace("\n", "")
    assert f"{blocking} is a file, not a folder" in said and str(out.parent) in said


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
@pytest.mark.parametrize("command", WRITERS)
def test_an_output_path_in_a_read_only_folder_is_an_error(with_account, tmp_path, command):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = with_account(*WRITERS[command], locked / "out.file")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2
    _no_traceback(result)
    assert f"cannot write {locked / 'out.file'}: permission denied" in result.stderr.replace("\n", "")


def test_an_unknown_feedback_backend_is_a_usage_error_that_lists_the_backends(rehearse):
    result = rehearse("feedback", "prioritise", "--backend", "foo")
    assert result.exit_code == 2
    _no_traceback(result)
    said = " ".join(result.stderr.split())
    assert "'foo' is not a feedback backend" in said
    assert all(name in said for name in ("auto", "e5", "onnx", "lexical"))


def test_an_export_to_a_new_folder_writes_one_valid_file(rehearse, tmp_path):
    out = tmp_path / "exports" / "bank.json"
    assert rehearse("export", "-f", "json", "--bank", "cli-bank", "--out", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))


def test_a_backup_leaves_only_the_backup_file_beside_it(rehearse, tmp_path):
    """No `.partial`, `-wal` or `-shm` file of the copy is left in the folder, backup after backup;
    the backup restores."""
    folder = tmp_path / "backups"
    for name in ("first.db", "second.db"):
        made = rehearse("backup", folder / name)
        assert made.exit_code == 0, made.output
    assert sorted(p.name for p in folder.iterdir()) == ["first.db", "second.db"]
    restored = rehearse("restore", folder / "first.db")
    assert restored.exit_code == 0, restored.output
    assert sorted(p.name for p in folder.iterdir()) == ["first.db", "second.db"]
    assert rehearse("questions", "show", "prioritise").exit_code == 0


@pytest.fixture
def everyday_umask():
    """The umask most systems start with: files readable by everyone unless made otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.parametrize(("command", "mode"), [("backup", 0o600), ("data export", 0o600), ("export", 0o644)])
def test_files_holding_peoples_data_are_readable_by_their_owner_only(with_account, tmp_path, everyday_umask,
                                                                      command, mode):
    """A backup holds every account's e-mail, password hash and answers, and a data export one person's: both
    were written 0644. A bank export is public and stays as the umask makes it."""
    out = tmp_path / "out.file"
    assert with_account(*WRITERS[command], out).exit_code == 0
    assert out.stat().st_mode & 0o777 == mode
