"""Settings: defaults, parsing, and messages naming the variable (issue #2)."""
import pytest

from lib import settings
from lib.errors import SettingsError


def test_defaults_use_a_sqlite_file_under_data():
    s = settings.load({})
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/factdesk.db")
    assert s.port == 8501 and s.is_sqlite


@pytest.mark.parametrize("env, field, value", [
    ({"FACTDESK_PORT": "9000"}, "port", 9000),
    ({"FACTDESK_STORY_THRESHOLD": "0.85"}, "story_threshold", 0.85),
    ({"FACTDESK_MAX_FILE_MB": "1.5"}, "max_file_mb", 1.5),
    ({"FACTDESK_DATABASE_URL": "postgresql+psycopg://u@h/db"}, "database_url", "postgresql+psycopg://u@h/db"),
    ({"FACTDESK_DATABASE_URL": ""}, "database_url", settings.load({}).database_url),
    ({"FACTDESK_NEWSROOM": "  Desk  "}, "newsroom", "Desk"),
])
def test_values_are_parsed(env, field, value):
    assert getattr(settings.load(env), field) == value


@pytest.mark.parametrize("env, message", [
    ({"FACTDESK_STORY_THRESHOLD": "0,8"},
     "FACTDESK_STORY_THRESHOLD must be a number between 0 and 1, got '0,8'. Hint: use a dot."),
    ({"FACTDESK_STORY_THRESHOLD": "1.5"},
     "FACTDESK_STORY_THRESHOLD must be a number between 0 and 1, got '1.5'."),
    ({"FACTDESK_PORT": "http"}, "FACTDESK_PORT must be a whole number, got 'http'."),
    ({"FACTDESK_PORT": "70000"}, "FACTDESK_PORT must be a number between 1 and 65535, got '70000'."),
    ({"FACTDESK_EVAL_DIR": "/no/such/folder"}, "FACTDESK_EVAL_DIR must be an existing folder, got '/no/such/folder'."),
])
def test_bad_values_name_the_variable(env, message):
    with pytest.raises(SettingsError) as err:
        settings.load(env)
    assert str(err.value) == message


def test_overrides_win_over_environment():
    assert settings.load({"FACTDESK_PORT": "9000"}, port=9100).port == 9100


def test_every_setting_has_a_field_and_help():
    fields = set(settings.Settings.__dataclass_fields__)
    for spec in settings.SPECS:
        assert spec.name in fields and spec.help
