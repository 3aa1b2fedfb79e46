"""The parameter schema: every field of every input model declared once, fully, and used.

Checks that the models, the engine defaults and the form fields are derived from
``peakzero/data/params/fields.csv`` and that its rows are complete (unit, range where numeric,
labels and help in both languages, source).
"""

from __future__ import annotations

import dataclasses
import math
import typing

import pytest
from pydantic import BaseModel

from peakzero.params import (
    REQUIRED,
    SECTION,
    form_fields,
    get,
    input_models,
    model_params,
    params,
)
from peakzero.site.models import BatteryInput, PVInput
from peakzero.storage import Battery

MODELS = input_models()


def _numeric(annotation: object) -> bool:
    """Whether a field holds numbers (alone, optional, in a list or as dict values)."""
    if annotation in (int, float):
        return True
    return any(_numeric(a) for a in typing.get_args(annotation))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_declared_fully(model: type[BaseModel]) -> None:
    declared = model_params(model)  # raises for a field not declared with params.param
    assert set(declared) == set(model.model_fields)
    for name, info in model.model_fields.items():
        p = declared[name]
        assert p.key == f"{model.__name__}.{name}"
        assert p.unit.strip(), p.key
        assert p.label_en.strip() and p.label_zh.strip(), p.key
        assert p.help_en.strip() and p.help_zh.strip(), p.key
        assert p.source.strip(), p.key
        # A Chinese label has Chinese characters; an English one none.
        assert any("\u4e00" <= c <= "\u9fff" for c in p.label_zh), p.key
        assert not any("\u4e00" <= c <= "\u9fff" for c in p.label_en), p.key
        if _numeric(info.annotation) and not _is_section(info.annotation):
            assert p.minimum is not None and p.maximum is not None, f"{p.key}: no range"
            assert math.isfinite(p.minimum) and math.isfinite(p.maximum), p.key
            assert p.minimum < p.maximum, p.key
            assert p.step is not None or p.key == "ScenarioFile.base", f"{p.key}: no form step"


def _is_section(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_is_section(a) for a in typing.get_args(annotation))


def test_every_declared_row_belongs_to_a_model_field() -> None:
    used = {p.key for m in MODELS for p in model_params(m).values()}
    assert set(params()) == used


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_model_defaults_are_the_schema_defaults(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        p = model_params(model)[name]
        if p.default is REQUIRED:
            assert info.is_required(), p.key
        elif p.default is SECTION:
            assert info.default_factory is not None, p.key
        else:
            assert info.default == p.default, p.key


def test_engine_defaults_come_from_the_schema() -> None:
    """round_trip_efficiency and friends are stated once: Battery() equals BatteryInput()."""
    engine = dataclasses.asdict(Battery())
    model = BatteryInput().model_dump(exclude={"enabled", "export"})
    assert engine == model
    assert Battery().round_trip_efficiency == get("BatteryInput.round_trip_efficiency").default


def test_form_fields_carry_what_a_form_needs() -> None:
    fields = {f.name: f for f in form_fields(PVInput, "en")}
    capex = fields["capex_yuan_per_kwp"]
    assert (capex.kind, capex.unit, capex.minimum, capex.maximum) == (
        "number",
        "yuan/kWp",
        0.0,
        20000.0,
    )
    assert capex.step == 50.0 and capex.default == 3000.0 and not capex.required
    assert fields["max_kwp"].default is None
    from peakzero.plan.models import RoofSpec

    kind = next(f for f in form_fields(RoofSpec, "zh") if f.name == "kind")
    assert kind.kind == "choice" and kind.choices == ("flat", "pitched")
    assert kind.label == "屋顶类型"


def test_exclusive_bounds_and_range_text() -> None:
    p = get("RoofSpec.area_m2")
    assert p.min_exclusive and not p.contains(0.0) and p.contains(1.0)
    assert p.range_text() == "above 0 to 1e+07"
    assert not get("CarbonInput.decline_per_year").contains(1.0)
    assert not p.contains(math.inf) and not p.contains(math.nan)


def test_site_lp_defaults_are_the_schema_defaults() -> None:
    """The LP's engine-side option classes state no default of their own (issue 9 §2)."""
    from peakzero.optimize.problem import Economics, PVOptions
    from peakzero.site.models import EconomicsInput, PVInput

    pv, pv_in = PVOptions(), PVInput(max_kwp=1.0)
    for name in ("capex_yuan_per_kwp", "om_yuan_per_kwp_year", "min_kwp", "degradation_per_year"):
        assert getattr(pv, name) == getattr(pv_in, name), name
    econ, econ_in = Economics(), EconomicsInput()
    for name in ("analysis_years", "discount_rate", "tariff_escalation", "om_escalation"):
        assert getattr(econ, name) == getattr(econ_in, name), name
