"""What every page shares: the store and settings, cached once per process
(st.cache_resource), and the model loaded lazily (issue #5)."""
from __future__ import annotations

import streamlit as st

from lib import settings as settings_module
from lib.store import Store


@st.cache_resource
def get_store() -> Store:
    """The store, opened (and migrated) once per server process."""
    return Store.open(settings_module.get())


@st.cache_resource
def get_model():
    """The sentence model, loaded once per server process, only when ingesting."""
    from lib import embed

    return embed.load(settings_module.get())
