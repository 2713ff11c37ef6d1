"""Threads and processes: one client shared by threads, and clients made before a fork."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import NewJobBody

fork = multiprocessing.get_context("fork")
shared: dict[str, object] = {}  # the client a forked worker inherits


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = Emulator()
    emu.start()
    yield emu
    emu.stop()


def create_in_child(name: str) -> tuple[int, str | None]:
    client = shared["client"]
    assert isinstance(client, cielo24.ApiClient)
    return os.getpid(), JobApi(client).new_job(NewJobBody(job_name=name)).job_id


def create_with(configuration: cielo24.Configuration, name: str) -> str | None:
    with cielo24.ApiClient(configuration) as client:
        return JobApi(client).new_job(NewJobBody(job_name=name)).job_id


def test_a_client_made_before_fork_works_in_the_children(emulator: Emulator) -> None:
    with cielo24.ApiClient(emulator.configuration()) as client:
        JobApi(client).new_job(NewJobBody(job_name="parent"))  # the pool holds a connection
        shared["client"] = client
        with ProcessPoolExecutor(4, mp_context=fork) as pool:
            results = list(pool.map(create_in_child, [f"child {i}" for i in range(16)]))
        JobApi(client).new_job(NewJobBody(job_name="parent again"))  # the parent's still works
    assert len({pid for pid, _ in results}) > 1
    assert os.getpid() not in {pid for pid, _ in results}
    names = sorted(job.job_name or "" for job in emulator.jobs.values())
    assert names == sorted(["parent", "parent again", *[f"child {i}" for i in range(16)]])


def test_a_forked_process_with_multiprocessing(emulator: Emulator) -> None:
    with cielo24.ApiClient(emulator.configuration()) as client:
        JobApi(client).job_list()
        shared["client"] = client
        with fork.Pool(2) as pool:
            results = pool.map(create_in_child, ["a", "b", "c", "d"])
    assert all(job_id in emulator.jobs for _, job_id in results)


def test_configuration_pickles_without_secrets_unless_asked(emulator: Emulator) -> None:
    configuration = cielo24.Configuration(
        host=emulator.url, username="demo", password="demo-password"
    )
    configuration.api_key["ApiKeyAuth"] = emulator.api_token
    plain = pickle.dumps(configuration)
    assert emulator.api_token.encode() not in plain and b"demo-password" not in plain
    restored = pickle.loads(plain)
    assert restored.host == emulator.url and restored.api_key == {}
    configuration.pickle_secrets = True
    restored = pickle.loads(pickle.dumps(configuration))
    assert restored.api_key["ApiKeyAuth"] == emulator.api_token
    assert restored.password == "demo-password"


def test_a_pickled_configuration_goes_to_spawned_workers(emulator: Emulator) -> None:
    configuration = emulator.configuration()
    configuration.pickle_secrets = True
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=spawn) as pool:
        job_ids = list(pool.map(create_with, [configuration] * 2, ["w1", "w2"]))
    assert all(job_id in emulator.jobs for job_id in job_ids)
