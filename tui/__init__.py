"""The Textual app of roi. Only `roi` (no command) and `roi demo` import it.

Where things are:

- `app.py`: `RoiApp` and `create_app(store, today=, clock=)`, the factory the CLI and the
  tests use; app-wide keys, the stopwatch, and the actions that open screens.
- `state.py`: `RankingState` (the ranking, the store, today), handed to every screen and
  dialog; it patches or re-ranks and posts `RankingChanged(task_ids)` to the screens.
- `host.py`: `RoiHost`, what a screen may ask of the app itself (stopwatch, drafts,
  navigation), and `host(node)`, the typed `node.app`.
- `screens/`: one full screen a file (inventory, task, importer, chart, roadmap, help).
- `dialogs/`: one modal a file (confirm, flags, report, settings; `form.py` is the
  validating form, `forms.py` the task, step and plan forms).
- `widgets/`: the ranked table, the detail panel, the payback chart, the stopwatch line.
- `display.py`: how names and figures become text; `commands.py`: the command palette;
  `drafts.py`: unsaved form contents; `app.tcss`: the styles.

Text from data (names, paths, errors) is shown literally everywhere: `Text`/`Content`,
never markup; control characters made visible (`roi.textsafe.visible`, `display.one_line`
for titles, palette entries and toasts, `widgets.text_input.TextInput` for fields).
What another connection writes (the CLI, a second app, an import worker) shows within
half a second: the app polls `roi.db.watch.data_version` and re-ranks (ctrl+l forces it).
If the app itself fails, the traceback goes to `tui-crash.log` in roi's data folder and
`run_app` raises `AppFailed`: `roi` prints one line naming the log and exits 70.

Every key binding has an id (`inventory.add`, `task.timer`, `form.save`, ...), so
`App.set_keymap({"inventory.add": "plus"})` moves a key without touching the code.
"""
