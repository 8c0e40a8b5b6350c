"""一年模拟 a deterministic year of a mid-sized bureau, written through the public commands.

:func:`simulate_year` establishes (or extends) the bureau of :mod:`govoffice.demo.bureau`
(twenty units, about a hundred people, five leaders with their 分管 and stand-ins), then
walks the year's working days in business-time order: outgoing documents through their whole
flow, incoming documents from 签收 to 归档, the approved annual meeting plan and the meetings
held under it, unplanned meeting requests, the spring batch of proposals, supervision tasks
from every source, quarterly notices, every unit's monthly 政务信息 (targets, items, adoptions,
closing), the year's target table (目标管理) from drafting to the year-end assessment, and
``office.tick`` once every working day at 08:00.

Everything is decided by one seeded ``random.Random``, and record ids follow from the seed
(:func:`~govoffice.demo.simulation.year.seeded_ids`, uuid5 of the seed, scale, year and a
counter), so a seed and a scale give the same events byte for byte, with the same ids; only
the wall-clock ``timestamp`` eventsourcing writes into every event differs between runs.
Refusals the rules must give (a classified document printed in the ordinary print room, a
meeting over its limits, an item of information reported after the 15th of the next month,
...) are provoked on purpose, caught, counted, and checked to have recorded nothing. Volume is
proportional to ``scale`` (see :data:`VOLUME`; 政务信息 is a monthly routine, see
:data:`~govoffice.demo.simulation.information.INFORMATION_ITEMS`).

The modules, one per area of the year; the generator `_Year` is made of one class of steps
per area, each on the shared timeline:

- :mod:`.timeline`: the working days walked, the queue of steps in business time, who acts,
  provoked refusals; the volume per year;
- :mod:`.records`: what the generator keeps per record, and the topics titles draw on;
- :mod:`.organisation`: the bureau set up or extended, the leaders' trips and stand-ins;
- :mod:`.documents`: 发文; :mod:`.incoming`: 收文; :mod:`.meetings`: the annual plan and the
  meetings; :mod:`.proposals`: 建议提案; :mod:`.supervision`: 督查督办 and the quarterly
  notices; :mod:`.information`: 政务信息; :mod:`.targets`: 目标管理 (the year's target table,
  its quarterly checks, deductions and waivers, the half-year check, the year-end assessment);
- :mod:`.year`: the run (set-up, the daily time step and new records), :func:`simulate_year`
  and its :class:`YearResult`.
"""

from __future__ import annotations

from govoffice.demo.simulation.timeline import DEFAULT_SEED, VOLUME, Progress, SimulationError
from govoffice.demo.simulation.year import YearResult, simulate_year
from govoffice.demo.simulation.year import _Year as _Year  # the generator, for tests

__all__ = ["DEFAULT_SEED", "VOLUME", "Progress", "SimulationError", "YearResult", "simulate_year"]
