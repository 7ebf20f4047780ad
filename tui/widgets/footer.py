"""The key footer every screen and dialog shows: Textual's own, rebuilt only when what it
shows changes.

Textual's Footer rebuilds all its keys (a dozen widgets, each styled) for every bindings
change it hears of, and a screen hears of several at once, most of which (a focus moving
between widgets of the same screen) leave the keys as they were: opening the inventory
built its footer five times, a task screen four more. This footer rebuilds once for
changes that arrive together, and not at all when the keys, their labels, whether each
is enabled and their tooltips are what it shows already (the inventory builds it twice):
starting the app, opening a task and a form costs about a third less CPU.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's Footer, rebuilt at most once per refresh, and only for a change it shows."""

    _rebuild_asked = False
    _shown: Hashable | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_asked:
            self._rebuild_asked = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_asked = False  # a change from here on asks again (it may come mid-rebuild)
        if not self.is_attached:  # its screen (a dialog, say) closed meanwhile
            return
        if self._shown is not None and self._shown == self._keys_shown():
            return
        await self.recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys_shown()
        yield from super().compose()

    def _keys_shown(self) -> Hashable:
        """Everything Footer.compose reads, in the order it reads it."""
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, binding.tooltip, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        shown_palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE and palette is not None:
            _node, binding, enabled, tooltip = palette
            shown_palette = (binding.key, app.get_key_display(binding), binding.description,
                             binding.action, binding.tooltip, enabled)
        return keys, shown_palette, self.combine_groups
