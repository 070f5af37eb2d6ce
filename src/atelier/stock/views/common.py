"""What the stock screens share: who reads, the page wrapper, the site a page is about."""

from django.shortcuts import render

from atelier.core.models import Site
from atelier.core.params import as_id

PAGE_SIZE = 50


def render_page(request, template, context, status=200):
    return render(request, template, {"nav": "stock", **context}, status=status)


def page_site(request):
    """The site the page is about: ?site=<pk> among the user's, else their first."""
    sites = Site.objects.visible_to(request.user)
    wanted = request.GET.get("site") or request.POST.get("site")
    if (pk := as_id(wanted)) is not None:
        site = sites.filter(pk=pk).first()
        if site:
            return site
    return sites.first()
