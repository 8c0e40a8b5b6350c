"""eventsourcing's own reusable recorder test cases, run against the recorders our store URLs
configure (memory, SQLite, PostgreSQL), and its transcoder test case against ours.

The recorders are built exactly as the office builds them: ``store_env(url)`` plus the
application's defaults, prefixed with the application's name, through
``InfrastructureFactory.construct``. SQLite gets a file in a fresh temporary directory;
PostgreSQL a fresh schema, dropped after each test (skipped without a server, failing when
CI=true, like every PostgreSQL test here).

Left out, test by test (the rest of each case runs):

- ``test_performance`` / ``test_concurrent_throughput``: benchmarks that print rates and
  assert nothing; timing is measured in ``benchmarks/``, never in tests (CONTRIBUTING).
- ``test_concurrent_no_conflicts``: a stress test of 10 threads writing 100,000 events per
  store; our own concurrent writes are covered by ``test_concurrent_numbering``.
- ``optional_test_insert_subscribe`` runs only where the library supports subscriptions
  (memory, PostgreSQL); SQLite has none in 9.5.6.
- ``ExampleApplicationTestCase`` (``eventsourcing.tests.application``) configures its example
  application from ``os.environ`` only, so it cannot be pointed at a store URL per test.
- ``eventsourcing/tests/postgres_utils.py`` imports a missing ``examples`` package; none of
  the cases used here need it (schemas are created and dropped below instead).

The library cases are reached through the module (``tp.X``) so that pytest does not collect
the abstract bases themselves.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import unittest
from collections.abc import Callable
from typing import Any, ClassVar

import eventsourcing.tests.persistence as tp
import pytest
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    ProcessRecorder,
    TrackingRecorder,
    Transcoder,
)
from eventsourcing.popo import (
    POPOAggregateRecorder,
    POPOApplicationRecorder,
    POPOFactory,
    POPOProcessRecorder,
    POPOTrackingRecorder,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresProcessRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteFactory,
    SQLiteProcessRecorder,
    SQLiteTrackingRecorder,
)
from eventsourcing.utils import Environment

from govoffice.adapters.postgres_store import (
    OfficePostgresApplicationRecorder,
    OfficePostgresFactory,
)
from govoffice.adapters.serialization import make_transcoder
from govoffice.adapters.stores import store_env
from govoffice.application.app import OfficeApplication
from govoffice.bootstrap import open_office
from tests.adapters.test_store_contract import fresh_postgres_schema

BENCHMARK = "a benchmark (prints a rate, asserts nothing): timing belongs in benchmarks/"
STRESS = (
    "a stress test writing 100,000 events per store; our own concurrent writes are "
    "covered by tests/adapters/test_concurrent_numbering.py"
)


def office_env(url: str) -> Environment:
    """The settings the office's application is built from for ``url`` (class defaults,
    then the process environment, then the store's settings), under the app's name."""
    return Environment(
        OfficeApplication.name, {**OfficeApplication.env, **os.environ, **store_env(url)}
    )


def skipped(reason: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """An inherited library test, skipped here with a stated reason."""
    return unittest.skip(reason)(method)


class OnStore(unittest.TestCase):
    """Gives each test a fresh store of kind ``store`` and builds its infrastructure
    factory the way the office does."""

    __test__ = False
    store: ClassVar[str]

    def setUp(self) -> None:
        self.url = self.fresh_store_url()
        super().setUp()

    def fresh_store_url(self) -> str:
        if self.store == "memory":
            return "memory"
        if self.store == "sqlite":
            directory = tempfile.mkdtemp(prefix="govoffice-recorders-")
            self.addCleanup(shutil.rmtree, directory, True)
            return f"sqlite:///{directory}/office.db"
        # dropped by a cleanup, which runs after the factories below are closed
        return self.enterContext(fresh_postgres_schema())

    def factory(self) -> InfrastructureFactory[Any]:
        factory = InfrastructureFactory.construct(office_env(self.url))
        self.addCleanup(factory.close)
        return factory


# --- aggregate recorders (the snapshot store, when snapshotting is switched on) ----------


class AggregateRecorderCase(OnStore, tp.AggregateRecorderTestCase):
    __test__ = False  # a base: only the store-specific subclasses run

    def create_recorder(self) -> AggregateRecorder:
        return self.factory().aggregate_recorder()

    test_performance = skipped(BENCHMARK, tp.AggregateRecorderTestCase.test_performance)


class TestMemoryAggregateRecorder(AggregateRecorderCase):
    __test__ = True
    store = "memory"


class TestSQLiteAggregateRecorder(AggregateRecorderCase):
    __test__ = True
    store = "sqlite"


class TestPostgresAggregateRecorder(AggregateRecorderCase):
    __test__ = True
    store = "postgres"


# --- application recorders (the office's event store and notification log) -------------


class ApplicationRecorderCase(OnStore, tp.ApplicationRecorderTestCase[ApplicationRecorder]):
    __test__ = False  # a base: only the store-specific subclasses run

    def create_recorder(self) -> ApplicationRecorder:
        return self.factory().application_recorder()

    test_performance = skipped(BENCHMARK, tp.ApplicationRecorderTestCase.test_performance)
    test_concurrent_throughput = skipped(
        BENCHMARK, tp.ApplicationRecorderTestCase.test_concurrent_throughput
    )
    test_concurrent_no_conflicts = skipped(
        STRESS, tp.ApplicationRecorderTestCase.test_concurrent_no_conflicts
    )


class TestMemoryApplicationRecorder(ApplicationRecorderCase):
    __test__ = True
    store = "memory"

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


class TestSQLiteApplicationRecorder(ApplicationRecorderCase):
    __test__ = True
    store = "sqlite"

    def test_subscribe_is_not_supported(self) -> None:
        """SQLite has no subscriptions in eventsourcing 9.5.6 (the library says so)."""
        with self.assertRaises(NotImplementedError):
            self.create_recorder().subscribe(gt=None)


class TestPostgresApplicationRecorder(ApplicationRecorderCase):
    __test__ = True
    store = "postgres"

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


# --- tracking and process recorders (for projections and process applications) ----------


class TrackingRecorderCase(OnStore, tp.TrackingRecorderTestCase):
    __test__ = False  # a base: only the store-specific subclasses run

    def create_recorder(self) -> TrackingRecorder:
        return self.factory().tracking_recorder()


class TestMemoryTrackingRecorder(TrackingRecorderCase):
    __test__ = True
    store = "memory"


class TestSQLiteTrackingRecorder(TrackingRecorderCase):
    __test__ = True
    store = "sqlite"


class TestPostgresTrackingRecorder(TrackingRecorderCase):
    __test__ = True
    store = "postgres"


class ProcessRecorderCase(OnStore, tp.ProcessRecorderTestCase):
    __test__ = False  # a base: only the store-specific subclasses run

    def create_recorder(self) -> ProcessRecorder:
        return self.factory().process_recorder()

    test_performance = skipped(BENCHMARK, tp.ProcessRecorderTestCase.test_performance)


class TestMemoryProcessRecorder(ProcessRecorderCase):
    __test__ = True
    store = "memory"


class TestSQLiteProcessRecorder(ProcessRecorderCase):
    __test__ = True
    store = "sqlite"


class TestPostgresProcessRecorder(ProcessRecorderCase):
    __test__ = True
    store = "postgres"


# --- commit order is notification order under racing writers ---------------------------


class NonInterleavingCase(OnStore, tp.NonInterleavingNotificationIDsBaseCase):
    __test__ = False  # a base: only the store-specific subclasses run

    def create_recorder(self) -> ApplicationRecorder:
        return self.factory().application_recorder()


class TestMemoryNonInterleavingNotificationIDs(NonInterleavingCase):
    __test__ = True
    store = "memory"


class TestSQLiteNonInterleavingNotificationIDs(NonInterleavingCase):
    __test__ = True
    store = "sqlite"


class TestPostgresNonInterleavingNotificationIDs(NonInterleavingCase):
    __test__ = True
    store = "postgres"


# --- the infrastructure factory our settings select -------------------------------------


class CustomPOPOTrackingRecorder(POPOTrackingRecorder):
    pass


class CustomSQLiteTrackingRecorder(SQLiteTrackingRecorder):
    pass


class CustomPostgresTrackingRecorder(PostgresTrackingRecorder):
    pass


FACTORY_CLASSES: dict[str, tuple[type[Any], ...]] = {
    "memory": (
        POPOFactory,
        POPOAggregateRecorder,
        POPOApplicationRecorder,
        POPOTrackingRecorder,
        CustomPOPOTrackingRecorder,
        POPOProcessRecorder,
    ),
    "sqlite": (
        SQLiteFactory,
        SQLiteAggregateRecorder,
        SQLiteApplicationRecorder,
        SQLiteTrackingRecorder,
        CustomSQLiteTrackingRecorder,
        SQLiteProcessRecorder,
    ),
    "postgres": (  # the library's, with bounded waits (ADR 0035)
        OfficePostgresFactory,
        PostgresAggregateRecorder,
        OfficePostgresApplicationRecorder,
        PostgresTrackingRecorder,
        CustomPostgresTrackingRecorder,
        PostgresProcessRecorder,
    ),
}


class InfrastructureFactoryCase(OnStore, tp.InfrastructureFactoryTestCase[Any]):
    __test__ = False  # a base: only the store-specific subclasses run

    def setUp(self) -> None:
        self.url = self.fresh_store_url()
        self.env = office_env(self.url)
        tp.InfrastructureFactoryTestCase.setUp(self)

    def expected_factory_class(self) -> type[Any]:
        return FACTORY_CLASSES[self.store][0]

    def expected_aggregate_recorder_class(self) -> type[AggregateRecorder]:
        return FACTORY_CLASSES[self.store][1]

    def expected_application_recorder_class(self) -> type[ApplicationRecorder]:
        return FACTORY_CLASSES[self.store][2]

    def expected_tracking_recorder_class(self) -> type[TrackingRecorder]:
        return FACTORY_CLASSES[self.store][3]

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        return FACTORY_CLASSES[self.store][4]

    def expected_process_recorder_class(self) -> type[ProcessRecorder]:
        return FACTORY_CLASSES[self.store][5]


class TestMemoryInfrastructureFactory(InfrastructureFactoryCase):
    __test__ = True
    store = "memory"


class TestSQLiteInfrastructureFactory(InfrastructureFactoryCase):
    __test__ = True
    store = "sqlite"


class TestPostgresInfrastructureFactory(InfrastructureFactoryCase):
    __test__ = True
    store = "postgres"


# --- our transcoder ---------------------------------------------------------------------

BY_DESIGN = (
    "by design (ADR 0004): the JSON transcoder gives tuples back as lists and str/int/dict/"
    "list subclasses as their base type; events carry lists, value objects restore their "
    "tuple fields through cattrs"
)


def expected_failure(method: Callable[..., Any]) -> Callable[..., Any]:
    """An inherited library check that our transcoder fails on purpose: it must keep
    failing (strict), so that a change of behaviour is noticed."""

    @functools.wraps(method)
    def check(self: Any) -> None:
        method(self)

    return pytest.mark.xfail(raises=AssertionError, strict=True, reason=BY_DESIGN)(check)


class TestOfficeTranscoder(tp.TranscoderTestCase):
    """``TranscoderTestCase`` against ``make_transcoder()`` (plus the two custom types the
    case brings). It applies to strings, dicts (including ``_type_``/``_data_`` look-alikes),
    lists, nested custom types and the errors for unknown types; it does not apply to the
    six checks below, which need tuples and builtin subclasses to keep their types."""

    def construct_transcoder(self) -> Transcoder:
        transcoder = make_transcoder()
        transcoder.register(tp.CustomType1AsDict())
        transcoder.register(tp.CustomType2AsDict())
        return transcoder

    test_tuple = expected_failure(tp.TranscoderTestCase.test_tuple)
    test_mixed = expected_failure(tp.TranscoderTestCase.test_mixed)
    test_dict_subclass = expected_failure(tp.TranscoderTestCase.test_dict_subclass)
    test_list_subclass = expected_failure(tp.TranscoderTestCase.test_list_subclass)
    test_str_subclass = expected_failure(tp.TranscoderTestCase.test_str_subclass)
    test_int_subclass = expected_failure(tp.TranscoderTestCase.test_int_subclass)


def test_make_transcoder_knows_what_the_office_transcoder_knows() -> None:
    """[ADR 0004] make_transcoder() 与办公系统实际使用的 transcoder 注册了相同的类型."""
    office = open_office("memory")
    try:
        used = office.app.mapper.transcoder
        made = make_transcoder()
        assert sorted(made.names) == sorted(used.names)  # type: ignore[attr-defined]
        assert set(made.types) == set(used.types)  # type: ignore[attr-defined]
    finally:
        office.close()
