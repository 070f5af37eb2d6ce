"""The independent plan checker: every hard rule, re-verified from the problem's data alone.

It shares nothing with the solver wrapper on purpose (only the plain data classes of problem.py): a bug in the
model builder or the scheduler must not be able to hide itself. Returns the list of broken rules, in French;
an empty list means the plan is valid.
"""

from atelier.planning.problem import Plan, Problem


def check(problem: Problem, plan: Plan) -> list[str]:
    errors: list[str] = []
    visits = {v.key: v for v in problem.visits}
    techs = {t.key: t for t in problem.technicians}
    seen: dict[str, str] = {}
    used_techs: set[str] = set()

    for route in plan.routes:
        tech = techs.get(route.technician)
        if tech is None:
            errors.append(f"Tournée d'un technicien inconnu ou absent ce jour : {route.technician}.")
            continue
        if route.technician in used_techs:
            errors.append(f"{tech.key} a deux tournées.")
        used_techs.add(route.technician)
        if route.leave < tech.shift_start:
            errors.append(f"{tech.key} part avant le début de sa journée.")
        where, free_at = tech.start, route.leave
        load = 0
        legs: list[tuple[int, int, int]] = []  # (free from, must arrive by, travel time) for the break check
        for stop in route.stops:
            visit = visits.get(stop.visit)
            if visit is None:
                errors.append(f"Visite inconnue dans la tournée de {tech.key} : {stop.visit}.")
                continue
            if stop.visit in seen:
                errors.append(f"La visite {stop.visit} est planifiée deux fois.")
            seen[stop.visit] = tech.key
            missing = visit.requires - tech.capabilities
            if missing:
                errors.append(f"{tech.key} n'a pas {', '.join(sorted(missing))} pour la visite {visit.key}.")
            if visit.pinned_to and visit.pinned_to != tech.key:
                errors.append(f"La visite {visit.key} est épinglée à {visit.pinned_to}, pas à {tech.key}.")
            travel = problem.durations[where][visit.location]
            if stop.start < free_at + travel:
                errors.append(f"{tech.key} ne peut pas être chez {visit.key} à l'heure dite (trajet).")
            if not any(early <= stop.start <= late for early, late in visit.windows):
                errors.append(f"La visite {visit.key} commence hors des créneaux du client.")
            if stop.end - stop.start < visit.duration:
                errors.append(f"La visite {visit.key} est plus courte que sa durée prévue.")
            legs.append((free_at, stop.start, travel))
            load += visit.demand
            where, free_at = visit.location, stop.end
        back_travel = problem.durations[where][tech.end]
        if route.back < free_at + back_travel:
            errors.append(f"{tech.key} ne peut pas être rentré à l'heure dite.")
        if route.back > tech.shift_end:
            errors.append(f"{tech.key} finit après la fin de sa journée.")
        legs.append((free_at, route.back, back_travel))
        if tech.capacity and load > tech.capacity:
            errors.append(f"{tech.key} dépasse sa capacité ({load} > {tech.capacity}).")
        if tech.break_duration and route.stops:
            errors.extend(_check_break(tech, route.break_start, legs))

    for key, visit in visits.items():
        if key in seen:
            if key in plan.dropped:
                errors.append(f"La visite {key} est à la fois planifiée et laissée de côté.")
            continue
        if problem.all_required:
            errors.append(f"La visite {key} n'est pas planifiée.")
        elif visit.pinned_to and key not in plan.dropped:
            errors.append(f"La visite épinglée {key} n'est pas planifiée.")
        elif not plan.dropped.get(key):
            errors.append(f"La visite {key} est laissée de côté sans raison.")
    return errors


def _check_break(tech, start, legs) -> list[str]:
    """The break lies in its window, inside one gap between two stops, leaving time for that gap's travel."""
    if start is None:
        return [f"{tech.key} n'a pas de pause."]
    if not tech.break_earliest <= start <= tech.break_latest:
        return [f"La pause de {tech.key} est hors de sa plage."]
    end = start + tech.break_duration
    for free_from, arrive_by, travel in legs:
        before_travel = free_from <= start and end + travel <= arrive_by
        at_the_door = free_from + travel <= start and end <= arrive_by
        if before_travel or at_the_door:
            return []
    return [f"La pause de {tech.key} chevauche une visite ou un trajet."]
