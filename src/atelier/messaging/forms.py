from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.messaging.choices import Channel
from atelier.messaging.services import channels_for


class ReplyForm(forms.Form):
    """Write to the customer from the dossier's thread: only the channels the customer has are offered."""

    channel = forms.ChoiceField(label=_("Par"), choices=Channel.choices)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if customer is not None:
            usable = channels_for(customer)
            self.fields["channel"].choices = [(c, label) for c, label in Channel.choices if c in usable]
