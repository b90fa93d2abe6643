"""`make chat` without a terminal: scripted input in, the bot's answers out."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from aiogram import Dispatcher

from tools.chat import run_chat
from tools.emulator import EmulatorConfig
from tests.handlers.harness import make_settings


async def run(
    script: str, tmp_path: Path, template: Path, dispatcher: Dispatcher
) -> tuple[int, str]:
    path = tmp_path / "chat.db"
    shutil.copy(template, path)
    out = io.StringIO()
    code = await run_chat(
        make_settings(f"sqlite+aiosqlite:///{path}"),
        stdin=io.StringIO(script),
        stdout=out,
        dispatcher=dispatcher,
        reply_timeout=5,
        config=EmulatorConfig(max_poll_timeout=0.5),
    )
    return code, out.getvalue()


async def test_scripted_chat_prints_the_answers(
    tmp_path: Path, handlers_store_template: Path, dispatcher: Dispatcher
) -> None:
    script = "/no_such_command\n:lang kk\n/no_such_command\n:group\n/no_such_command\n:quit\n"
    code, transcript = await run(script, tmp_path, handlers_store_template, dispatcher)
    assert code == 0
    assert "you> /no_such_command\nbot: Я не знаю такой команды." in transcript
    assert "bot: Мен бұл команданы білмеймін." in transcript
    assert "(you created Chat client group and added the bot)" in transcript
    assert "\x1b[" not in transcript  # no terminal, no colour codes
    assert transcript.rstrip().endswith("bye")


async def test_end_of_input_ends_the_chat(
    tmp_path: Path, handlers_store_template: Path, dispatcher: Dispatcher
) -> None:
    code, transcript = await run("", tmp_path, handlers_store_template, dispatcher)
    assert code == 0
    assert transcript.rstrip().endswith("bye")
