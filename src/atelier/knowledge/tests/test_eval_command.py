import csv

import pytest
from django.core.management import CommandError, call_command

FAULTS = {
    "Blockage": [
        "tube blocked with hair",
        "Rohr verstopft",
        "slang verstopt",
        "tuyau bouché",
        "hose clogged",
    ],
    "Motor": [
        "motor does not run",
        "Motor läuft nicht",
        "motor draait niet",
        "moteur ne tourne pas",
        "motor dead",
    ],
    "Power cord": ["cable broken", "Kabel gebrochen", "snoer kapot", "câble cassé", "cord damaged"],
}


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_ords", "fault_type", "brand", "problem"])
        writer.writerows(rows)


def test_eval_prediag_prints_both_scores(tmp_path, capsys):
    rows = []
    for label, texts in FAULTS.items():
        for i in range(8):
            rows.append([f"r{label}{i}", label, "Dyson" if i % 2 else "Unknown", f"{texts[i % 5]} {i}"])
    path = tmp_path / "quest.csv"
    write_csv(path, rows)
    call_command("eval", "prediag", str(path))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "quest.csv : 24 lignes étiquetées, 3 pannes ; apprentissage 19, mesure 5 (graine 42)"
    assert out[-1].startswith("top3 atelier=1.00 baseline=1.00")
    assert out[-1] == "top3 atelier=1.00 baseline=1.00"
    assert out[1].startswith("atelier   top1=")


def test_eval_refuses_missing_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes attendues : un texte") as info:
        call_command("eval", "prediag", str(path))
    assert str(info.value) == (
        "Colonnes attendues : un texte (problem, text, texte) et une panne (fault_type, step_barrier, label, cause) ; "
        "trouvées : a, b."
    )


def test_eval_refuses_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable") as info:
        call_command("eval", "prediag", str(tmp_path / "absent.csv"))
    assert str(info.value) == f"Fichier introuvable : {tmp_path / 'absent.csv'}"


def test_eval_refuses_tiny_file(tmp_path):
    path = tmp_path / "tiny.csv"
    write_csv(path, [["1", "Motor", "", "dead"], ["2", "Blockage", "", "blocked"]])
    with pytest.raises(CommandError, match="Il faut au moins 10 lignes étiquetées et 2 pannes") as info:
        call_command("eval", "prediag", str(path))
    assert str(info.value) == "Il faut au moins 10 lignes étiquetées et 2 pannes différentes pour mesurer."
