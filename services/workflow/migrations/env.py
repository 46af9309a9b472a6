from services.workflow.models import Base
from shared.database.migrations import run_env
from shared.database.shared_tables import MessagingBase

run_env([Base.metadata, MessagingBase.metadata])
