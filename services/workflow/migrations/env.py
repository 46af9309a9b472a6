from services.workflow.models import Base
from shared.database.engine import MessagingBase
from shared.database.migrations import run_env

run_env([Base.metadata, MessagingBase.metadata])
