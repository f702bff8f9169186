#include "station/station_model.hpp"

#include <stdexcept>
#include <string>

namespace dira { namespace hls_station {

CycleResult StationModel::step(const StationPins& pins, bool record_ready, const RegisterCommand* command, bool frame_sent,
                               bool z_pop) {
    DatapathInputs in;
    in.pins = pins;
    in.record_ready = record_ready;
    in.frame_sent = frame_sent;
    in.command = command;
    in.z_pop = z_pop;
    return datapath_step(state_, params_, in);
}

std::uint32_t StationModel::peek_register(std::uint16_t address_word) const {
    const RegisterRead r = register_read(state_.registers, params_, current_status(state_, params_), address_word);
    if (!r.known) throw std::invalid_argument("StationModel::peek_register: no register at address " + std::to_string(address_word));
    return r.value;
}

} } // namespace dira::hls_station
