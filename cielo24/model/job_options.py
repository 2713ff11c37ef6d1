"""JobOptions: the options of perform_transcription, sent as a JSON string."""

from typing import Any, Optional

from cielo24.enums import (
    CustomerApprovalStepName,
    CustomerApprovalToolName,
    FirstPassCampaignName,
    IWPName,
)
from cielo24.model_utils import Model, boolean, field


class JobOptions(Model):
    """Job options (``options`` of perform_transcription); every one is optional.

    Booleans are sent as JSON booleans; ``"true"``/``"false"`` strings are accepted too.

    Attributes:
        customer_approval_steps: where the job waits for your approval (TRANSLATION, RETURN).
        customer_approval_tool: the approval tool (AMARA, CIELO24).
        custom_metadata: key/value pairs, also substitution strings for the callback URL.
        notes: text shown to the transcribers (at most 1000 characters).
        return_iwp: interim versions (IWP) that also trigger the callback.
        generate_media_intelligence_iwp: versions (IWP) to compute media intelligence for.
        speaker_id: identify speakers by name.
        audio_description: identify all noises and sounds.
        on_screen_text: transcribe text shown in the media.
        music_lyrics: transcribe lyrics instead of labelling [MUSIC].
        custom_special_handling: transcribers follow your submitted instructions.
        enable_true_verbatim: transcribe true verbatim.
        first_pass_campaign: the first-pass style (NORMAL, GENERAL_CONTENT, TRUE_VERBATIM).
    """

    customer_approval_steps: Optional[list[CustomerApprovalStepName]] = None
    customer_approval_tool: Optional[CustomerApprovalToolName] = None
    custom_metadata: Optional[dict[str, Any]] = None
    notes: Optional[str] = None
    return_iwp: Optional[list[IWPName]] = None
    generate_media_intelligence_iwp: Optional[list[IWPName]] = None
    speaker_id: Optional[bool] = field(default=None, convert=boolean)
    audio_description: Optional[bool] = field(default=None, convert=boolean)
    on_screen_text: Optional[bool] = field(default=None, convert=boolean)
    music_lyrics: Optional[bool] = field(default=None, convert=boolean)
    custom_special_handling: Optional[bool] = field(default=None, convert=boolean)
    enable_true_verbatim: Optional[bool] = field(default=None, convert=boolean)
    first_pass_campaign: Optional[FirstPassCampaignName] = None
